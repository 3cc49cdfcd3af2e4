/repo/target/debug/deps/cfx_helper-9f327a3ebf11f1d8.d: helper/src/lib.rs

/repo/target/debug/deps/libcfx_helper-9f327a3ebf11f1d8.rlib: helper/src/lib.rs

/repo/target/debug/deps/libcfx_helper-9f327a3ebf11f1d8.rmeta: helper/src/lib.rs

helper/src/lib.rs:
