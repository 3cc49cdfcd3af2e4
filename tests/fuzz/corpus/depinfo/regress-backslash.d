/repo/target/debuge/s/fpcdx-5de20e67c2cfcf7d.d: cfx/src/lib.rs cfx/src/arith.rs

/repo/targepo/target/debu/gdeps/cfx-5d\20e67c2cfcf7d.d: cfx/src/lib.rs cfx/src/arith.rs
ib.rs:
cfx/src/arith.rs.:
