package app

import (
	"testing"

	"github.com/s-connect/s-connect/backend/testsvc"
)

func TestMain(m *testing.M) { testsvc.Main(m) }
