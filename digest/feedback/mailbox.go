package feedback

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"

	"github.com/weeklywrap/digest/digest"
)

// ReadStats counts what one pass over a mailbox found.
type ReadStats struct {
	Messages int // read
	Reports  int // DSN or ARF reports among them
	Recorded int // events recorded (new)
	Repeats  int // events recorded before
	Broken   int // reports that could not be read; logged, marked seen
	// Unmatched are events about a message this list did not send to
	// that address (or a report that quotes none): anyone can mail the
	// bounce mailbox, so they are logged and otherwise ignored.
	Unmatched int
}

// Ledger is the store as the mailbox reader needs it: it records events,
// and tells which messages the list sent (digest.Store implements it).
type Ledger interface {
	Recorder
	SentMessageTo(ctx context.Context, messageID, email string) (bool, error)
}

// Reader hands mailbox reports to the store.
type Reader struct {
	Store Ledger
	Log   *slog.Logger
	// OnEvent hears every event, as Options.OnEvent does.
	OnEvent func(f digest.Feedback, recorded bool)
}

// take parses one message and records its events. A store error is
// returned (the message stays unread, for the next pass); anything wrong
// with the message itself is counted and logged.
func (rd *Reader) take(ctx context.Context, name string, msg io.Reader, st *ReadStats) error {
	st.Messages++
	events, err := ParseReport(msg)
	if errors.Is(err, ErrNotReport) {
		return nil
	}
	st.Reports++
	if err != nil {
		st.Broken++
		rd.log().Warn("feedback mailbox: unreadable report skipped", "message", name, "error", err)
		return nil
	}
	for _, f := range events {
		// Only a report about a message the list sent to that address
		// counts; otherwise anyone could take any address off the list
		// (and keep it from ever subscribing) with one forged DSN.
		sent := false
		if f.MessageID != "" {
			if sent, err = rd.Store.SentMessageTo(ctx, f.MessageID, f.Email); err != nil {
				return err
			}
		}
		if !sent {
			st.Unmatched++
			rd.log().Warn("feedback mailbox: report about a message this list did not send to that address; ignored",
				"message", name, "event", f.EventID, "returned_message_id", f.MessageID)
			continue
		}
		ok, err := rd.Store.RecordFeedback(ctx, f)
		if errors.Is(err, digest.ErrInvalid) {
			st.Broken++
			rd.log().Warn("feedback mailbox: event skipped", "message", name, "error", err)
			continue
		}
		if err != nil {
			return err
		}
		if ok {
			st.Recorded++
			rd.log().Info("feedback recorded", "source", f.Source, "kind", string(f.Kind), "event", f.EventID, "detail", f.Detail, "at", f.At)
		} else {
			st.Repeats++
		}
		if rd.OnEvent != nil {
			rd.OnEvent(f, ok)
		}
	}
	return nil
}

func (rd *Reader) log() *slog.Logger {
	if rd.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return rd.Log
}

// ReadMaildir reads the new messages of the maildir dir (new/, and cur/
// without the Seen flag) and marks each one read, as a mail client does:
// moved to cur/ with the S flag. A message whose events the store could
// not take stays unread for the next pass.
func (rd *Reader) ReadMaildir(ctx context.Context, dir string) (ReadStats, error) {
	var st ReadStats
	for _, sub := range []string{"new", "cur", "tmp"} {
		if fi, err := os.Stat(filepath.Join(dir, sub)); err != nil || !fi.IsDir() {
			return st, fmt.Errorf("feedback: %s is not a maildir (no %s/ folder); give feedback.mailbox.maildir the folder that holds new/, cur/ and tmp/", dir, sub)
		}
	}
	for _, sub := range []string{"new", "cur"} {
		ents, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			return st, fmt.Errorf("feedback: read maildir %s: %w", dir, err)
		}
		for _, e := range ents {
			if ctx.Err() != nil {
				return st, ctx.Err()
			}
			name := e.Name()
			if e.IsDir() || strings.HasPrefix(name, ".") {
				continue
			}
			base, flags, _ := strings.Cut(name, ":2,")
			if sub == "cur" && strings.Contains(flags, "S") {
				continue
			}
			path := filepath.Join(dir, sub, name)
			// Read as a stream: ParseReport takes what a report can be
			// long (maxReport), and a huge message in the mailbox, which
			// anyone can send, is never read whole into memory.
			f, err := os.Open(path)
			if err != nil {
				return st, fmt.Errorf("feedback: read %s: %w", path, err)
			}
			err = rd.take(ctx, path, f, &st)
			f.Close()
			if err != nil {
				return st, err
			}
			// Flags stay sorted, as the maildir convention has them.
			fl := []byte(flags + "S")
			sort.Slice(fl, func(i, j int) bool { return fl[i] < fl[j] })
			if err := os.Rename(path, filepath.Join(dir, "cur", base+":2,"+string(fl))); err != nil {
				return st, fmt.Errorf("feedback: mark %s read: %w", path, err)
			}
		}
	}
	return st, nil
}

// IMAPConfig is a mailbox on an IMAP server.
type IMAPConfig struct {
	Host     string
	Port     int    // default 993 with TLS "tls", 143 otherwise
	TLS      string // tls (default), starttls or none
	Username string
	Password string
	Folder   string // default INBOX
	// TLSConfig replaces the default TLS settings (a private CA in tests).
	TLSConfig *tls.Config
	Timeout   time.Duration // default 30s
}

// ReadIMAP reads the unseen messages of the folder, records their events
// and flags them \Seen. Messages are fetched with BODY.PEEK, so one whose
// events the store could not take stays unseen for the next pass.
func (rd *Reader) ReadIMAP(ctx context.Context, cfg IMAPConfig) (ReadStats, error) {
	var st ReadStats
	if cfg.Folder == "" {
		cfg.Folder = "INBOX"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Port == 0 {
		cfg.Port = 143
		if cfg.TLS == "" || cfg.TLS == "tls" {
			cfg.Port = 993
		}
	}
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	tc := cfg.TLSConfig
	if tc == nil {
		tc = &tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12}
	}
	dialer := &net.Dialer{Timeout: cfg.Timeout}
	var (
		c   *client.Client
		err error
	)
	switch cfg.TLS {
	case "", "tls":
		c, err = client.DialWithDialerTLS(dialer, addr, tc)
	default:
		c, err = client.DialWithDialer(dialer, addr)
	}
	if err != nil {
		return st, fmt.Errorf("feedback: IMAP %s: %w", addr, err)
	}
	c.Timeout = cfg.Timeout
	defer c.Logout()
	// An ended ctx closes the session, so a blocked command returns.
	stop := context.AfterFunc(ctx, func() { c.Terminate() })
	defer stop()
	if cfg.TLS == "starttls" {
		if err := c.StartTLS(tc); err != nil {
			return st, fmt.Errorf("feedback: IMAP %s: STARTTLS: %w", addr, err)
		}
	}
	if err := c.Login(cfg.Username, cfg.Password); err != nil {
		return st, fmt.Errorf("feedback: IMAP %s: login as %s: %w", addr, cfg.Username, err)
	}
	if _, err := c.Select(cfg.Folder, false); err != nil {
		return st, fmt.Errorf("feedback: IMAP %s: select %s: %w", addr, cfg.Folder, err)
	}
	crit := imap.NewSearchCriteria()
	crit.WithoutFlags = []string{imap.SeenFlag}
	uids, err := c.UidSearch(crit)
	if err != nil {
		return st, fmt.Errorf("feedback: IMAP %s: search unseen: %w", addr, err)
	}
	// A batch at a time, so a big backlog never sits in memory whole.
	const batch = 50
	// No further than a report can be long (ParseReport reads no more):
	// the client holds a fetched literal in memory whole, and anyone can
	// mail a huge message to the bounce mailbox.
	section := &imap.BodySectionName{Peek: true, Partial: []int{0, maxReport}}
	for len(uids) > 0 {
		n := min(batch, len(uids))
		set := new(imap.SeqSet)
		set.AddNum(uids[:n]...)
		uids = uids[n:]
		msgs := make(chan *imap.Message, n)
		done := make(chan error, 1)
		go func() { done <- c.UidFetch(set, []imap.FetchItem{imap.FetchUid, section.FetchItem()}, msgs) }()
		seen := new(imap.SeqSet)
		var takeErr error
		for m := range msgs {
			body := m.GetBody(section)
			if body == nil || takeErr != nil {
				continue
			}
			if err := rd.take(ctx, fmt.Sprintf("%s/%s UID %d", addr, cfg.Folder, m.Uid), body, &st); err != nil {
				takeErr = err
				continue
			}
			seen.AddNum(m.Uid)
		}
		if err := <-done; err != nil {
			return st, fmt.Errorf("feedback: IMAP %s: fetch: %w", addr, err)
		}
		if !seen.Empty() {
			if err := c.UidStore(seen, imap.FormatFlagsOp(imap.AddFlags, true), []any{imap.SeenFlag}, nil); err != nil {
				return st, fmt.Errorf("feedback: IMAP %s: flag seen: %w", addr, err)
			}
		}
		if takeErr != nil {
			return st, takeErr
		}
	}
	return st, nil
}
