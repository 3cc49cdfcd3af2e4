/repo/target/debug/deps/b-4673a2cf77a172d8.d: cfx/tests/b.rs cfx/tests/common/mod.rs

/repo/target/debug/deps/b-4673a2cf77a172d8: cfx/tests/b.rs cfx/tests/common/mod.rs

cfx/tests/b.rs:
cfx/tests/common/mod.rs:
