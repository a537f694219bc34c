package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// readmeBlocks returns the command lines of the README's first ```sh block
// (the quick start) and of the block under "From clone to inbox", as written.
func readmeBlocks(t *testing.T, readme string) []string {
	t.Helper()
	var cmds []string
	block := func(from string) {
		i := strings.Index(readme, from)
		if i < 0 {
			t.Fatalf("README has no %q", from)
		}
		rest := readme[i:]
		start := strings.Index(rest, "```sh\n")
		end := strings.Index(rest[start+6:], "```")
		if start < 0 || end < 0 {
			t.Fatalf("no ```sh block after %q", from)
		}
		sc := bufio.NewScanner(strings.NewReader(rest[start+6 : start+6+end]))
		for sc.Scan() {
			if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
				cmds = append(cmds, l)
			}
		}
	}
	block("# digest")
	block("## From clone to inbox")
	return cmds
}

// TestReadmeCommands runs the README's quick start and "From clone to
// inbox" commands as written on a fresh copy of the repository (its files
// as git knows them): preview writes its files and prints what the README
// says, Mailpit starts, the subscriber is added, send mails the issue to
// them, and serve shows it on / and in /feed.xml. `go test ./...` is this
// suite itself and is not run again.
func TestReadmeCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: builds and runs the README's commands on a copy of the repository")
	}
	for _, tool := range []string{"git", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	// The README's commands use these fixed ports.
	for _, addr := range []string{"127.0.0.1:1025", "127.0.0.1:8025", "127.0.0.1:8080"} {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is taken: %v", addr, err)
			}
			t.Skipf("%s is taken (another Mailpit or digest serve runs here): %v", addr, err)
		}
		ln.Close()
	}
	dir := freshCopy(t, repoRoot(t))
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	for _, line := range readmeBlocks(t, string(readme)) {
		cmdline := strings.TrimSpace(strings.SplitN(line, " #", 2)[0])
		t.Logf("$ %s", cmdline)
		switch {
		case strings.HasPrefix(cmdline, "go test "):
			t.Log("  (the test suite itself: not run again)")
		case strings.HasSuffix(cmdline, "&"):
			background(t, ctx, dir, strings.TrimSpace(strings.TrimSuffix(cmdline, "&")))
			if strings.Contains(cmdline, "mailpit") {
				waitHTTP(t, ctx, "http://127.0.0.1:8025/api/v1/messages")
			}
		case strings.HasSuffix(cmdline, " serve"):
			p := background(t, ctx, dir, cmdline)
			waitHTTP(t, ctx, "http://127.0.0.1:8080/healthz")
			home := fetch(t, "http://127.0.0.1:8080/")
			if !strings.Contains(home, "/issues/1") {
				t.Errorf("serve: / shows no issue after the README's steps:\n%s", home)
			}
			feed := fetch(t, "http://127.0.0.1:8080/feed.xml")
			if !strings.Contains(feed, "<entry>") || strings.Contains(feed, "1970-01-01") {
				t.Errorf("serve: /feed.xml has no entry or is dated 1970:\n%s", feed)
			}
			_ = syscall.Kill(-p.Process.Pid, syscall.SIGTERM)
		default:
			out := run(t, ctx, dir, cmdline)
			checkStep(t, dir, cmdline, out)
		}
	}
}

// checkStep holds each foreground command to what the README says of it.
func checkStep(t *testing.T, dir, cmdline, out string) {
	t.Helper()
	switch {
	case strings.HasSuffix(cmdline, " preview"):
		lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
		if !strings.HasPrefix(lines[0], "issue #1 for ") || !strings.Contains(lines[0], "wrote out/issue.html, out/issue.txt, out/issue.eml") {
			t.Errorf("preview's summary line: %q", lines[0])
		}
		for _, l := range lines[1:] {
			if !strings.HasPrefix(l, "  error: ") && !strings.HasPrefix(l, "  check ") {
				t.Errorf("preview printed a line the README does not announce: %q", l)
			}
		}
		for _, f := range []string{"out/issue.html", "out/issue.txt", "out/issue.eml", "digest.db"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("preview did not create %s: %v", f, err)
			}
		}
	case strings.Contains(cmdline, " send"):
		if !strings.Contains(out, "issue #1 ") || !strings.Contains(out, "1 sent") {
			t.Errorf("send: %s", out)
		}
		var list struct {
			Messages []struct {
				To []struct{ Address string }
			} `json:"messages"`
		}
		if err := json.Unmarshal([]byte(fetch(t, "http://127.0.0.1:8025/api/v1/messages")), &list); err != nil {
			t.Fatal(err)
		}
		if len(list.Messages) != 1 || list.Messages[0].To[0].Address != "a@example.org" {
			t.Errorf("Mailpit holds %+v; want the issue to a@example.org", list.Messages)
		}
	}
}

// freshCopy copies the files git knows (tracked, and new ones not ignored)
// into a temporary folder: what a clone holds, without the build outputs
// and databases of this working tree.
func freshCopy(t *testing.T, root string) string {
	t.Helper()
	out, err := exec.Command("git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	dir := t.TempDir()
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			continue // deleted in the working tree
		}
		fi, _ := os.Stat(filepath.Join(root, name))
		dst := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, fi.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func run(t *testing.T, ctx context.Context, dir, cmdline string) string {
	t.Helper()
	c := exec.CommandContext(ctx, "sh", "-c", cmdline)
	c.Dir = dir
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	if err := c.Run(); err != nil {
		t.Fatalf("%s: %v\nstdout:\n%s\nstderr:\n%s", cmdline, err, out.String(), errb.String())
	}
	return out.String()
}

// background starts cmdline in a process group of its own (go run starts
// the program as a child) and stops the group when the test ends.
func background(t *testing.T, ctx context.Context, dir, cmdline string) *exec.Cmd {
	t.Helper()
	c := exec.Command("sh", "-c", "exec "+cmdline)
	c.Dir = dir
	c.Stdout, c.Stderr = io.Discard, io.Discard
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = c.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = syscall.Kill(-c.Process.Pid, syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-c.Process.Pid, syscall.SIGKILL)
			<-done
		}
	})
	return c
}

func waitHTTP(t *testing.T, ctx context.Context, u string) {
	t.Helper()
	for ctx.Err() == nil {
		if resp, err := http.Get(u); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s never answered", u)
}

func fetch(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
