package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSubscribersImportExportErase(t *testing.T) {
	e := newEnv(t, envOpts{})
	csvPath := filepath.Join(e.dir, "list.csv")
	csv := "email,name\nann@example.org,Ann\nBOB@Example.org,\"Bob, Jr.\"\nnot-an-address,Nobody\nann@example.org,Ann again\n"
	if err := os.WriteFile(csvPath, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := e.run(t, "subscribers", "import", csvPath)
	if err == nil || !strings.Contains(out, "imported 2, already on the list 1, bad rows 1") || !strings.Contains(errOut, "list.csv:4") {
		t.Fatalf("import: err %v\nstdout %s\nstderr %s", err, out, errOut)
	}
	list := e.mustRun(t, "subscribers", "list", "--status", "pending")
	if !strings.Contains(list, "ann@example.org") || !strings.Contains(list, "bob@example.org") {
		t.Errorf("without --confirmed the import is pending:\n%s", list)
	}
	if err := os.WriteFile(csvPath, []byte("email,name\ncy@example.org,Cy\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e.mustRun(t, "subscribers", "import", "--confirmed", csvPath)
	if list := e.mustRun(t, "subscribers", "list", "--status", "confirmed"); !strings.Contains(list, "cy@example.org") || strings.Contains(list, "ann@") {
		t.Errorf("--confirmed import:\n%s", list)
	}
	exp := e.mustRun(t, "subscribers", "export")
	lines := strings.Split(strings.TrimSpace(exp), "\n")
	if lines[0] != "email,name,status,topics,created" || len(lines) != 4 || !strings.Contains(exp, `bob@example.org,"Bob, Jr.",pending`) {
		t.Errorf("export:\n%s", exp)
	}
	e.mustRun(t, "subscribers", "remove", "--erase", "bob@example.org")
	if exp := e.mustRun(t, "subscribers", "export"); strings.Contains(exp, "bob@") {
		t.Errorf("erased subscriber still exported:\n%s", exp)
	}
	if _, _, err := e.run(t, "subscribers", "list", "--status", "weird"); err == nil {
		t.Error("an unknown --status was accepted")
	}
}
