/repo/target/debug/deps/cfx-53040b7541ea70f3.d: cfx/src/main.rs

/repo/target/debug/deps/cfx-53040b7541ea70f3: cfx/src/main.rs

cfx/src/main.rs:
