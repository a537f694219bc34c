// Package mailpittest starts a real Mailpit SMTP server for tests and reads
// what it received through Mailpit's REST API.
//
// The binary is found in $MAILPIT, on PATH, or in $(go env GOPATH)/bin.
// .ci/run installs it with `go install github.com/axllent/mailpit@v1.33.1`.
// Where it is missing the test is skipped with that hint, except under CI
// (CI=true), where a missing Mailpit is a failure.
package mailpittest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Install is the command that installs the pinned Mailpit.
const Install = "go install github.com/axllent/mailpit@v1.33.1"

// Server is a running Mailpit.
type Server struct {
	SMTPHost string
	SMTPPort int
	APIURL   string // http://127.0.0.1:PORT
	cmd      *exec.Cmd
}

// SMTPAddr is host:port of the SMTP listener.
func (s *Server) SMTPAddr() string { return net.JoinHostPort(s.SMTPHost, strconv.Itoa(s.SMTPPort)) }

// Binary returns the path of the mailpit binary, or "" if none is found.
func Binary() string {
	if p := os.Getenv("MAILPIT"); p != "" {
		return p
	}
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
			gopath = strings.TrimSpace(string(out))
		}
	}
	for _, dir := range filepath.SplitList(gopath) {
		p := filepath.Join(dir, "bin", "mailpit")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// freePort names a port free a moment ago. Another process may take it
// before Mailpit binds it, so Start checks that the server answering is
// the one it started (its database path) and tries again if not.
func freePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Start runs a fresh Mailpit with its own database in a temp dir, on free
// ports, and stops it when the test ends. extra flags are passed through
// (e.g. "--enable-chaos", "--allow-internal-http-requests").
func Start(tb testing.TB, extra ...string) *Server {
	tb.Helper()
	bin := Binary()
	if bin == "" {
		if os.Getenv("CI") != "" {
			tb.Fatalf("mailpit not found; CI must install it: %s", Install)
		}
		tb.Skipf("mailpit not found (set $MAILPIT or run: %s)", Install)
	}
	var lastErr error
	for try := 0; try < 3; try++ {
		s := &Server{SMTPHost: "127.0.0.1", SMTPPort: freePort(tb)}
		httpPort := freePort(tb)
		s.APIURL = fmt.Sprintf("http://127.0.0.1:%d", httpPort)
		db := filepath.Join(tb.TempDir(), "mailpit.db")
		args := append([]string{
			"--listen", fmt.Sprintf("127.0.0.1:%d", httpPort),
			"--smtp", s.SMTPAddr(),
			"--database", db,
			"--smtp-auth-accept-any", "--smtp-auth-allow-insecure",
			"--max", "0", "--quiet",
		}, extra...)
		cmd := exec.Command(bin, args...)
		var logs bytes.Buffer
		cmd.Stdout, cmd.Stderr = &logs, &logs
		if err := cmd.Start(); err != nil {
			tb.Fatalf("start mailpit: %v", err)
		}
		s.cmd = cmd
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		if err := s.waitReady(15*time.Second, db, exited); err != nil {
			_ = cmd.Process.Kill()
			<-exited
			lastErr = fmt.Errorf("%w; output: %s", err, logs.String())
			continue
		}
		tb.Cleanup(func() {
			_ = cmd.Process.Kill()
			<-exited
		})
		return s
	}
	tb.Fatalf("mailpit did not start: %v", lastErr)
	return nil
}

// waitReady waits until the Mailpit started with database db answers on
// both ports. A Mailpit of another test that took one of the ports first
// answers with another database; ours has then exited, which ends the
// wait at once.
func (s *Server) waitReady(d time.Duration, db string, exited <-chan struct{}) error {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return fmt.Errorf("mailpit exited (a port taken meanwhile?)")
		default:
		}
		resp, err := http.Get(s.APIURL + "/api/v1/info")
		if err == nil {
			var info struct{ Database string }
			err = json.NewDecoder(resp.Body).Decode(&info)
			resp.Body.Close()
			if err == nil && resp.StatusCode == 200 && info.Database != db {
				return fmt.Errorf("another Mailpit (database %s) answers on %s", info.Database, s.APIURL)
			}
			if err == nil && resp.StatusCode == 200 {
				c, err := net.DialTimeout("tcp", s.SMTPAddr(), time.Second)
				if err == nil {
					c.Close()
					return nil
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("mailpit not ready at %s after %s", s.APIURL, d)
}

// Address is a mail address as Mailpit reports it.
type Address struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// Summary is one entry of the message list.
type Summary struct {
	ID        string    `json:"ID"`
	MessageID string    `json:"MessageID"`
	From      Address   `json:"From"`
	To        []Address `json:"To"`
	Subject   string    `json:"Subject"`
	Snippet   string    `json:"Snippet"`
	Created   time.Time `json:"Created"` // when Mailpit received it
}

// ListUnsubscribe is Mailpit's parse of the List-Unsubscribe headers.
type ListUnsubscribe struct {
	Header     string   `json:"Header"`
	Links      []string `json:"Links"`
	Errors     string   `json:"Errors"`
	HeaderPost string   `json:"HeaderPost"`
}

// Message is one message in full.
type Message struct {
	ID              string          `json:"ID"`
	MessageID       string          `json:"MessageID"`
	From            Address         `json:"From"`
	To              []Address       `json:"To"`
	ReplyTo         []Address       `json:"ReplyTo"`
	Subject         string          `json:"Subject"`
	Text            string          `json:"Text"`
	HTML            string          `json:"HTML"`
	Size            int             `json:"Size"`
	ListUnsubscribe ListUnsubscribe `json:"ListUnsubscribe"`
}

// GetJSON fetches path from the API and decodes it into v.
func (s *Server) GetJSON(tb testing.TB, path string, v any) {
	tb.Helper()
	body := s.Get(tb, path)
	if err := json.Unmarshal(body, v); err != nil {
		tb.Fatalf("mailpit %s: decode: %v: %s", path, err, body)
	}
}

// Get fetches path from the API and returns the body.
func (s *Server) Get(tb testing.TB, path string) []byte {
	tb.Helper()
	resp, err := http.Get(s.APIURL + path)
	if err != nil {
		tb.Fatalf("mailpit GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		tb.Fatalf("mailpit GET %s: status %d, err %v: %s", path, resp.StatusCode, err, body)
	}
	return body
}

// Messages lists every message, newest first.
func (s *Server) Messages(tb testing.TB) []Summary {
	tb.Helper()
	var out []Summary
	for start := 0; ; start += 1000 {
		var page struct {
			Total    int       `json:"total"`
			Messages []Summary `json:"messages"`
		}
		s.GetJSON(tb, fmt.Sprintf("/api/v1/messages?limit=1000&start=%d", start), &page)
		out = append(out, page.Messages...)
		if len(page.Messages) == 0 || len(out) >= page.Total {
			return out
		}
	}
}

// Count returns how many messages Mailpit holds.
func (s *Server) Count(tb testing.TB) int {
	tb.Helper()
	var page struct {
		Total int `json:"total"`
	}
	s.GetJSON(tb, "/api/v1/messages?limit=1", &page)
	return page.Total
}

// WaitCount waits until Mailpit holds at least n messages and returns the count.
func (s *Server) WaitCount(tb testing.TB, n int, d time.Duration) int {
	tb.Helper()
	deadline := time.Now().Add(d)
	for {
		c := s.Count(tb)
		if c >= n || time.Now().After(deadline) {
			return c
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Message returns one message in full.
func (s *Server) Message(tb testing.TB, id string) Message {
	tb.Helper()
	var m Message
	s.GetJSON(tb, "/api/v1/message/"+id, &m)
	return m
}

// Headers returns the message's headers.
func (s *Server) Headers(tb testing.TB, id string) map[string][]string {
	tb.Helper()
	var h map[string][]string
	s.GetJSON(tb, "/api/v1/message/"+id+"/headers", &h)
	return h
}

// Raw returns the message source.
func (s *Server) Raw(tb testing.TB, id string) []byte {
	tb.Helper()
	return s.Get(tb, "/api/v1/message/"+id+"/raw")
}

// DeleteAll removes every message.
func (s *Server) DeleteAll(tb testing.TB) {
	tb.Helper()
	req, _ := http.NewRequest(http.MethodDelete, s.APIURL+"/api/v1/messages", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("mailpit delete: %v", err)
	}
	resp.Body.Close()
}

// SetChaos sets one of Mailpit's chaos triggers ("Sender", "Recipient",
// "Authentication") to answer code with probability percent, resetting
// the others; Mailpit must have been started with "--enable-chaos".
func (s *Server) SetChaos(tb testing.TB, trigger string, code, probability int) {
	tb.Helper()
	body := `{"` + trigger + `":{"ErrorCode":` + strconv.Itoa(code) + `,"Probability":` + strconv.Itoa(probability) + `}}`
	req, _ := http.NewRequest(http.MethodPut, s.APIURL+"/api/v1/chaos", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("set chaos: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), strconv.Itoa(code)) {
		tb.Fatalf("set chaos: status %d: %s", resp.StatusCode, b)
	}
}
