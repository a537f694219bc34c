package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/weeklywrap/digest/digest/mailer"
	"github.com/weeklywrap/digest/digest/service"
)

func serveCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Run the daemon: the schedule, the web pages and the sending",
		Long: `Run unattended: at each slot of the cron schedule, build that slot's issue once
and mail it to every confirmed subscriber; serve the latest issue, the archive
and the unsubscribe pages on the listen address. On start it first finishes an
issue an earlier run left half-sent. SIGTERM finishes the messages in flight,
sends the confirmations and other notices that are due (at most 30s) and
exits. With review: on, each issue is first a draft, built review.lead before
its slot and mailed to the editors, who shape it at /desk; the mode decides
when it is sent.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			svc, err := a.service(ctx)
			if err != nil {
				return err
			}
			svc.Progress = nil
			cfg := svc.Cfg
			if _, err := cfg.CheckSecret(); err != nil {
				return err
			}
			// Mail settings fail here, not at the first slot a week away.
			outbox, err := svc.Outbox()
			if err != nil {
				return err
			}
			site, err := a.webServer(ctx)
			if err != nil {
				return err
			}
			handler := site.Handler()
			hooks, err := feedbackWebhooks(svc)
			if err != nil {
				return err
			}
			if hooks != nil {
				handler = withWebhooks(handler, hooks)
				svc.Log.Info("feedback webhooks on", "providers", hooks.Enabled())
			}
			ln, err := net.Listen("tcp", cfg.Listen)
			if err != nil {
				return fmt.Errorf("listen %s: %w (is another digest serve running?)", cfg.Listen, err)
			}
			srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
				WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute}
			errc := make(chan error, 1)
			go func() { errc <- srv.Serve(ln) }()
			svc.Log.Info("web listening", "url", "http://"+ln.Addr().String()+"/")
			// A relay that is down or set up wrong is said at the start, with
			// its fix, not at the first slot; the daemon runs on regardless
			// (issues are queued and sent once the relay answers).
			go func() {
				if snd, err := svc.Sender(); err == nil {
					if err := snd.Check(ctx); err != nil && ctx.Err() == nil {
						svc.Log.Warn("the SMTP relay cannot be used yet; issues and notices wait in the queue until it answers", "error", err)
					}
				}
			}()
			sctx, scancel := context.WithCancel(ctx)
			defer scancel()
			schedDone, outboxDone := make(chan error, 1), make(chan struct{})
			go func() { schedDone <- svc.Schedule(sctx) }()
			go func() { defer close(outboxDone); outbox.Run(sctx) }()
			mailboxDone := make(chan struct{})
			go func() { defer close(mailboxDone); pollMailbox(sctx, svc) }()
			select {
			case err = <-errc:
			case <-ctx.Done():
			}
			shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = srv.Shutdown(shutdown)
			site.Wait() // the notices requests started are in the outbox
			scancel()
			<-outboxDone
			<-mailboxDone
			schedErr := <-schedDone
			drainNotices(svc, outbox)
			if ctx.Err() == nil && err != nil && !errors.Is(err, http.ErrServerClosed) {
				return fmt.Errorf("web: %w", err)
			}
			return schedErr
		},
	}
}

// drainTimeout bounds the sending of notices at shutdown, well within
// systemd's default stop timeout (90 s).
const drainTimeout = 30 * time.Second

// drainNotices sends the notices that are due before the process exits
// (a confirmation someone just asked for) and says what it did; what
// cannot go now stays stored for the next start.
func drainNotices(svc *service.Service, outbox *mailer.Outbox) {
	ctx, cancel := context.WithTimeout(context.Background(), drainTimeout)
	defer cancel()
	start := time.Now()
	st, err := outbox.Drain(ctx)
	left, _ := svc.Store.OutboxStats(context.Background())
	attrs := []any{"sent", st.Sent, "failed", st.Failed, "retry_later", left.Pending + left.Sending,
		"took", time.Since(start).Round(time.Millisecond)}
	if err != nil {
		svc.Log.Warn("notices at shutdown: sending stopped; the rest stay queued for the next start", append(attrs, "error", err)...)
		return
	}
	svc.Log.Info("notices at shutdown: sent what was due", attrs...)
}
