/repo/target/debug/deps/cfx-5de20e67c2cfcf7d.d: cfx/src/lib.rs cfx/src/arith.rs

/repo/target/debug/deps/cfx-5de20e67c2cfcf7d: cfx/src/lib.rs cfx/src/arith.rs

cfx/src/lib.rs:
cfx/src/arith.rs:
