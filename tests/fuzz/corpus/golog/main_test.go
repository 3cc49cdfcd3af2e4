package envy

import (
	"os"
	"testing"
)

// read before the tests start: the test log does not see these
var fromInit = os.Getenv("GOENV_FIXTURE_INIT")

const mainKey = "GOENV_FIXTURE_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(mainKey) != "" && fromInit == "" {
		os.Exit(3)
	}
	os.Exit(m.Run())
}
