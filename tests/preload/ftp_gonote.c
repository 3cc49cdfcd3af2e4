/*
 * ftp_gonote - a dynamically linked program that carries a Go build-id
 * note (owner "Go", type 4), as every Go binary does, cgo ones included.
 * Go makes raw system calls, so the interposer must mark a Go target
 * untraced (FT_UNTRACED_GO) even though it has a PT_INTERP.
 */
__asm__(".section .note.go.buildid,\"a\",@note\n"
	".balign 4\n"
	".long 3\n"          /* namesz: "Go\0" */
	".long 8\n"          /* descsz */
	".long 4\n"          /* type: NT_GO_BUILDID */
	".asciz \"Go\"\n"
	".balign 4\n"
	".ascii \"abcdefgh\"\n"
	".balign 4\n"
	".previous\n");

int main(void)
{
	return 0;
}
