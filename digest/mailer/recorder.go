package mailer

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// recorder writes the "sent" marks of all connections in shared
// transactions (group commit), off the connections' path: a worker hands
// its mark over and goes on with its next message at once, and waits for
// the mark to be committed only before the final dot of that next
// message (see Message.beforeEnd). So a connection never has more than one
// accepted message that the store does not know about, exactly as when
// each worker wrote its own mark before going on, while the commit (a WAL
// write, an fsync on PostgreSQL) overlaps with composing and sending, and
// is paid once per batch instead of once per message.
type recorder struct {
	q     Queue
	ctx   context.Context
	reqs  chan *pendingMark
	hurry chan struct{} // a worker waits for a mark: commit what is gathered now
	done  chan struct{}
	batch int // marks one transaction waits for, at most maxWait
	// written is called with each mark's delivery once its transaction
	// has ended, committed or not.
	written func(id int64)
}

// pendingMark is one mark handed over; wait returns its outcome.
type pendingMark struct {
	mark  digest.SentMark
	err   chan error
	hurry chan<- struct{}
	res   error
	got   bool
}

// wait blocks until the mark is committed (nil) or failed; it may be
// called again and returns the same. A worker that has to wait tells the
// recorder, which then stops gathering the other connections' marks and
// commits: waiting out maxWait would hold the message's final dot.
func (p *pendingMark) wait() error {
	if p.got {
		return p.res
	}
	select {
	case p.res = <-p.err:
	default:
		select {
		case p.hurry <- struct{}{}:
		default: // already told
		}
		p.res = <-p.err
	}
	p.got = true
	return p.res
}

// maxMarks bounds one transaction.
const maxMarks = 256

// maxWait is how long a transaction waits for the marks of the other
// connections: well under the time a message takes to send, while the
// connections share most commits; a worker that has to wait for its mark
// cuts it short (see pendingMark.wait).
const maxWait = time.Millisecond

func newRecorder(ctx context.Context, q Queue, connections int, written func(id int64)) *recorder {
	r := &recorder{q: q, ctx: ctx, reqs: make(chan *pendingMark, maxMarks), hurry: make(chan struct{}, 1), done: make(chan struct{}),
		batch: min(max(connections, 1), maxMarks), written: written}
	go r.run()
	return r
}

// sent hands over the mark of delivery id, sent with messageID.
func (r *recorder) sent(id int64, messageID string) *pendingMark {
	p := &pendingMark{mark: digest.SentMark{ID: id, MessageID: messageID}, err: make(chan error, 1), hurry: r.hurry}
	r.reqs <- p
	return p
}

// close ends the recorder once every mark handed over is written; no
// sent may be called afterwards.
func (r *recorder) close() {
	close(r.reqs)
	<-r.done
}

func (r *recorder) run() {
	defer close(r.done)
	batch := make([]*pendingMark, 0, maxMarks)
	marks := make([]digest.SentMark, 0, maxMarks)
	wait := time.NewTimer(maxWait)
	for first := range r.reqs {
		batch = append(batch[:0], first)
		wait.Reset(maxWait)
	more:
		for len(batch) < r.batch {
			select {
			case p, ok := <-r.reqs:
				if !ok {
					break more
				}
				batch = append(batch, p)
			case <-wait.C:
				break more
			case <-r.hurry:
				// A worker waits; what is gathered goes now. (A signal
				// left from a mark of the last batch ends this one early,
				// which costs a commit, never a wait.)
				break more
			}
		}
		// Whatever else is waiting goes in too.
	rest:
		for len(batch) < maxMarks {
			select {
			case p, ok := <-r.reqs:
				if !ok {
					break rest
				}
				batch = append(batch, p)
			default:
				break rest
			}
		}
		marks = marks[:0]
		for _, p := range batch {
			marks = append(marks, p.mark)
		}
		missing, err := r.q.MarkSentMany(r.ctx, marks)
		for _, p := range batch {
			if r.written != nil {
				r.written(p.mark.ID)
			}
			switch {
			case err != nil:
				p.err <- err
			case slices.Contains(missing, p.mark.ID):
				p.err <- fmt.Errorf("mailer: mark sent delivery %d: %w", p.mark.ID, digest.ErrNotFound)
			default:
				p.err <- nil
			}
		}
	}
}
