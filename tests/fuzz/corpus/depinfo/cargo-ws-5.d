/repo/target/debug/deps/cfx-9e59d4da71171565.d: cfx/src/lib.rs cfx/src/arith.rs

/repo/target/debug/deps/libcfx-9e59d4da71171565.rlib: cfx/src/lib.rs cfx/src/arith.rs

/repo/target/debug/deps/libcfx-9e59d4da71171565.rmeta: cfx/src/lib.rs cfx/src/arith.rs

cfx/src/lib.rs:
cfx/src/arith.rs:
