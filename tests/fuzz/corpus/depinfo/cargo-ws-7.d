/repo/target/debug/deps/cfx_helper-ce877b83fab5d30f.d: helper/src/lib.rs

/repo/target/debug/deps/cfx_helper-ce877b83fab5d30f: helper/src/lib.rs

helper/src/lib.rs:
