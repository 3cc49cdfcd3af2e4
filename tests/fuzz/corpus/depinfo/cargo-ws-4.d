/repo/target/debug/deps/cfx-85516a34b2aa9f39.d: cfx/src/main.rs

/repo/target/debug/deps/cfx-85516a34b2aa9f39: cfx/src/main.rs

cfx/src/main.rs:
