package envy

import (
	"os"
	"testing"
)

func TestFlag(t *testing.T) {
	if os.Getenv("GOENV_FIXTURE_FLAG") != "" {
		t.Log("flag set")
	}
	if v, ok := os.LookupEnv("GOENV_FIXTURE_OTHER"); ok {
		t.Log("other:", v)
	}
}
