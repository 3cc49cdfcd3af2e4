BEGIN { print ENVIRON["HOME"]; for (k in ENVIRON) n++ }
