/repo/target/debug/deps/a-454b0bfefcd31d33.d: cfx/tests/a.rs cfx/tests/common/mod.rs

/repo/target/debug/deps/a-454b0bfefcd31d33: cfx/tests/a.rs cfx/tests/common/mod.rs

cfx/tests/a.rs:
cfx/tests/common/mod.rs:
