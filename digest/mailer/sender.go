package mailer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// Sender sends messages over a pool of at most cfg.Connections SMTP
// connections, each reused for many messages. It is safe for concurrent use;
// callers get parallelism by calling Send from several goroutines.
type Sender struct {
	cfg     Config
	servers []*relay
	pace    *pacer
	idle    chan *conn    // connections ready for the next message
	maxIdle time.Duration // see maxIdle; a field so tests can shorten it
	slots   chan struct{} // one token per open or opening connection

	mu     sync.Mutex
	closed bool
}

// relay is one configured server with its go-mail client (settings only;
// the connections are separate smtp.Clients).
type relay struct {
	addr    string
	tls     string // starttls, tls or none
	host    string
	client  *mail.Client
	timeout time.Duration // per command, as the client has it

	mu        sync.Mutex
	restUntil time.Time // see dial
	restSince time.Time // when the rest was set
}

type conn struct {
	smtp     *smtp.Client
	relay    *relay
	batch    *batchedConn // under smtp, where the relay's client dials it (see dialBatched)
	lastUsed time.Time
}

// flush sends what c's connection holds (see batchedConn).
func (c *conn) flush() error {
	if c.batch == nil {
		return nil
	}
	return c.batch.flush()
}

// maxIdle is how long a pooled connection may sit unused before it is
// replaced rather than reused: relays drop idle sessions (Postfix after
// 300s, some providers much sooner), and finding out costs a failed
// command, or a full timeout if the drop was silent.
const maxIdle = 30 * time.Second

// ErrClosed is returned by Send after Close.
var ErrClosed = errors.New("mailer: sender closed")

// NewSender checks cfg and prepares the pool. It does not connect: the
// first Send does.
func NewSender(cfg Config) (*Sender, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if len(cfg.Servers) == 0 {
		return nil, fmt.Errorf("mailer: no SMTP servers configured")
	}
	s := &Sender{
		cfg:     cfg,
		pace:    newPacer(cfg.PerSecond, cfg.PerHour, cfg.Budget),
		idle:    make(chan *conn, cfg.Connections),
		slots:   make(chan struct{}, cfg.Connections),
		maxIdle: maxIdle,
	}
	for i, srv := range cfg.Servers {
		r, err := newRelay(srv)
		if err != nil {
			return nil, fmt.Errorf("mailer: server %d: %w", i+1, err)
		}
		s.servers = append(s.servers, r)
	}
	return s, nil
}

func newRelay(srv Server) (*relay, error) {
	srv, err := srv.withDefaults()
	if err != nil {
		return nil, err
	}
	opts := []mail.Option{
		mail.WithPort(srv.Port),
		mail.WithTimeout(srv.Timeout),
		// A NOOP before and a RSET after every message would triple the
		// round trips; a dead connection shows up on MAIL FROM instead,
		// before anything was accepted, and Send then redials.
		mail.WithoutNoop(),
		mail.WithoutRset(),
	}
	switch srv.TLS {
	case "tls":
		// go-mail dials these itself, with its own TLS dialer.
		opts = append(opts, mail.WithSSL())
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS), mail.WithDialContextFunc(dialBatched))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory), mail.WithDialContextFunc(dialBatched))
	}
	if srv.TLSConfig != nil {
		tc := srv.TLSConfig.Clone()
		if tc.ServerName == "" {
			tc.ServerName = srv.Host
		}
		opts = append(opts, mail.WithTLSConfig(tc))
	}
	if srv.Username != "" {
		opts = append(opts, mail.WithUsername(srv.Username), mail.WithPassword(srv.Password))
		if srv.TLS == "none" {
			// The operator chose plain text; go-mail would otherwise refuse
			// to send a password over it.
			opts = append(opts, mail.WithOpportunisticSMTPAuth(mail.SMTPAuthPlainNoEnc, mail.SMTPAuthLoginNoEnc))
		} else {
			opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover))
		}
	}
	c, err := mail.NewClient(srv.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("smtp client for %s: %w", srv.Host, err)
	}
	return &relay{addr: net.JoinHostPort(srv.Host, strconv.Itoa(srv.Port)), tls: srv.TLS, host: srv.Host, client: c, timeout: srv.Timeout}, nil
}

// Send composes m and sends it, returning its Message-ID (without <>).
// Errors are *Error for SMTP failures (see IsPermanent), wrap
// digest.ErrInvalid when m cannot be composed, or are ctx's error.
func (s *Sender) Send(ctx context.Context, m Message) (string, error) {
	return s.SendBeforeEnd(ctx, m, nil)
}

// SendBeforeEnd is Send, calling end (if not nil) once the content is
// written and before the final dot, when the relay cannot have accepted
// the message yet; an error from end abandons the message (the connection
// is closed without completing it) and is returned wrapped.
func (s *Sender) SendBeforeEnd(ctx context.Context, m Message, end func() error) (string, error) {
	// With a rate limit, the slot is taken in the same place, just before
	// the final dot: the relay counts a message when it ends, and what
	// comes before (the commands, the content, a wait for the previous
	// mark) varies by tens of ms on a busy machine. A message refused
	// before its content takes no slot.
	p := &pacing{}
	hook := end
	if s.pace.local != nil {
		hook = func() error {
			if end != nil {
				if err := end(); err != nil {
					return err
				}
			}
			if !p.done {
				p.done = true
				start := time.Now()
				p.slot, p.err = s.pace.wait(ctx)
				p.took = time.Since(start)
			}
			return p.err
		}
	}
	var (
		msg outgoing
		id  string
		err error
	)
	if m.encoded() && s.cfg.dkim == nil {
		msg, id, err = composeEncoded(s.cfg, m, hook)
	} else {
		var gm *mail.Msg
		gm, id, err = compose(s.cfg, m, hook)
		msg = &goMailMsg{msg: gm}
	}
	if err != nil {
		return "", err
	}
	if hook == nil || s.pace.local == nil {
		p = nil
	}
	if err := s.sendMsg(ctx, msg, p); err != nil {
		if p != nil && p.err != nil {
			return id, p.err // the wait for a slot ended (ctx), not the relay
		}
		return id, err
	}
	return id, nil
}

// pacing is a slot taken inside a message's content (see SendBeforeEnd).
type pacing struct {
	done bool
	slot time.Time
	took time.Duration // waiting for the slot
	err  error
}

func (s *Sender) SendMsg(ctx context.Context, msg *mail.Msg) (err error) {
	return s.sendMsg(ctx, &goMailMsg{msg: msg}, nil)
}

// sendMsg is SendMsg; with inner set, the message takes its slot itself
// (see SendBeforeEnd) and is not paced here.
func (s *Sender) sendMsg(ctx context.Context, msg outgoing, inner *pacing) (err error) {
	// Bounds on the retries of this message: connections found dead
	// before DATA, and relays refusing the sender.
	drops, refusals := 0, 0
	paced := false
	var slot time.Time
	for {
		c, err := s.get(ctx)
		if err != nil {
			return err
		}
		if !paced {
			// Paced with the connection in hand, so a dial does not delay
			// one message onto the next one's heels at the relay.
			if inner == nil {
				if slot, err = s.pace.wait(ctx); err != nil {
					s.put(c)
					return err
				}
			}
			paced = true
			if s.cfg.OnSend != nil {
				start := time.Now() // after pacing: the latency is the relay's, not the rate limit's
				defer func() {
					took := time.Since(start)
					if inner != nil {
						took -= inner.took
					}
					s.cfg.OnSend(took, err)
				}()
			}
		}
		err = msg.sendOn(c)
		if err == nil || msg.delivered() {
			s.put(c)
			if inner != nil {
				slot = inner.slot
			}
			s.pace.sent(ctx, slot)
			return nil
		}
		e := classify(c.relay.addr, err)
		switch {
		case e.Code == 0 || e.Code == 421:
			// Without a reply, or after 421 (closing), the connection is
			// gone. If that happened before DATA nothing was accepted, so
			// another try on a fresh connection cannot duplicate the
			// message: the usual case is a pooled connection the server
			// timed out.
			s.discard(c)
			// Its idle siblings were most likely dropped by the same
			// restart or idle timeout; redialing is cheaper than finding
			// out one message at a time.
			s.dropIdle()
			if drops++; drops <= 2 && e.Stage != StageData {
				continue
			}
			return e
		case e.Stage == StageMail:
			// The relay refused the sender (a 451 throttle, a 554 policy
			// block): nothing about this recipient. It goes to the back of
			// the line and the message goes to the next relay: one try
			// per configured relay.
			c.relay.rest(time.Now().Add(restAfterFailure))
			s.discard(c)
			if refusals++; refusals < len(s.servers) {
				continue
			}
			return e
		default:
			s.put(c)
			return e
		}
	}
}

// get returns an idle connection, or dials one while the pool has room,
// or waits for one to come back.
func (s *Sender) get(ctx context.Context) (*conn, error) {
	for {
		var c *conn
		select {
		case c = <-s.idle: // a warm connection beats a new one
		default:
			select {
			case c = <-s.idle:
			case s.slots <- struct{}{}:
				return s.open(ctx)
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		if time.Since(c.lastUsed) < s.maxIdle && !s.passOver(c.relay) {
			return c, nil
		}
		s.discard(c)
	}
}

// passOver reports whether a connection to r should be closed rather than
// used: r is resting after a failure while another relay is not.
func (s *Sender) passOver(r *relay) bool {
	if len(s.servers) == 1 {
		return false
	}
	now := time.Now()
	if !r.isResting(now) {
		return false
	}
	for _, o := range s.servers {
		if o != r && !o.isResting(now) {
			return true
		}
	}
	return false
}

// open dials a connection for a slot the caller holds, releasing the slot
// if that fails.
func (s *Sender) open(ctx context.Context) (*conn, error) {
	if s.isClosed() {
		<-s.slots
		return nil, ErrClosed
	}
	c, err := s.dial(ctx)
	if err != nil {
		<-s.slots
		return nil, err
	}
	return c, nil
}

// dial connects to the first server that answers, in configured order, so
// mail returns to the primary once it is back. A server that just failed
// is tried last for a while: a silently unreachable one costs a full
// timeout per attempt.
func (s *Sender) dial(ctx context.Context) (*conn, error) {
	now := time.Now()
	order := make([]*relay, 0, len(s.servers))
	var resting []*relay
	for _, r := range s.servers {
		if r.isResting(now) {
			resting = append(resting, r)
		} else {
			order = append(order, r)
		}
	}
	var errs []error
	for _, r := range append(order, resting...) {
		dialed := &dialedConn{}
		c, err := r.client.DialToSMTPClientWithContext(context.WithValue(ctx, dialedKey{}, dialed))
		if err == nil {
			// Reachable again: a rest set before this dial began ends.
			// One set meanwhile stands: another connection's relay just
			// refused the sender, which a connect says nothing about.
			r.endRestSetBefore(now)
			return &conn{smtp: c, relay: r, batch: dialed.batch, lastUsed: time.Now()}, nil
		}
		r.rest(time.Now().Add(restAfterFailure))
		errs = append(errs, explainDial(r, err))
		if ctx.Err() != nil {
			break
		}
	}
	e := &Error{Server: s.servers[0].addr, Stage: StageConnect, Err: errs[0]}
	if len(errs) > 1 {
		e.Server, e.Err = "", dialErrors(errs)
	}
	e.Code = replyCode(errs[len(errs)-1])
	return nil, e
}

// Check connects to a relay (EHLO, STARTTLS, AUTH as configured) and keeps
// the connection for the first message, so that a wrong host, port, TLS
// mode or password is reported before any work is done.
func (s *Sender) Check(ctx context.Context) error {
	c, err := s.get(ctx)
	if err != nil {
		return err
	}
	s.put(c)
	return nil
}

// restAfterFailure is how long a server that failed to connect, or
// refused the sender, goes to the back of the line.
const restAfterFailure = time.Minute

func (r *relay) isResting(now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return now.Before(r.restUntil)
}

func (r *relay) rest(until time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.restUntil, r.restSince = until, time.Now()
}

// endRestSetBefore ends the relay's rest if it was set before t.
func (r *relay) endRestSetBefore(t time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.restSince.Before(t) {
		r.restUntil = time.Time{}
	}
}

func (s *Sender) put(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		_ = c.relay.client.CloseWithSMTPClient(c.smtp)
		<-s.slots
		return
	}
	c.lastUsed = time.Now()
	s.idle <- c // never blocks: at most cap(slots) connections exist
}

func (s *Sender) discard(c *conn) {
	_ = c.smtp.Close()
	<-s.slots
}

// dropIdle closes every idle connection without QUIT.
func (s *Sender) dropIdle() {
	for {
		select {
		case c := <-s.idle:
			s.discard(c)
		default:
			return
		}
	}
}

func (s *Sender) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// Close says QUIT on the idle connections; connections in use are closed
// when their Send returns. Send fails with ErrClosed afterwards.
func (s *Sender) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	var errs []error
	for {
		select {
		case c := <-s.idle:
			if err := c.relay.client.CloseWithSMTPClient(c.smtp); err != nil {
				errs = append(errs, fmt.Errorf("close %s: %w", c.relay.addr, err))
			}
			<-s.slots
		default:
			return errors.Join(errs...)
		}
	}
}
