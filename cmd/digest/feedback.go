package main

import (
	"net/http"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/feedback"
	"github.com/weeklywrap/digest/digest/service"
)

// feedbackWebhooks builds the provider webhooks feedback.* configures, or
// nil when none is.
func feedbackWebhooks(svc *service.Service) (*feedback.Handler, error) {
	f := svc.Cfg.Feedback
	h, err := feedback.New(feedback.Options{Store: svc.Store, Log: svc.Log, MaxAge: f.MaxAge,
		SES:      feedback.SES{TopicARNs: f.SES.TopicARNs, AutoConfirm: f.SES.AutoConfirm},
		Postmark: feedback.Postmark{Username: f.Postmark.Username, Password: f.Postmark.Password},
		Mailgun:  feedback.Mailgun{SigningKey: f.Mailgun.SigningKey},
		SendGrid: feedback.SendGrid{PublicKey: f.SendGrid.PublicKey},
		OnEvent: func(ev digest.Feedback, recorded bool) {
			svc.Metrics.Feedback(ev.Source, string(ev.Kind), recorded)
		},
		OnRefused: svc.Metrics.WebhookRefused,
	})
	if err != nil {
		return nil, err
	}
	if len(h.Enabled()) == 0 {
		return nil, nil
	}
	return h, nil
}

// withWebhooks serves the webhooks beside the site; they answer the
// providers' servers, not people, so they skip the site's pages.
func withWebhooks(site http.Handler, hooks http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/webhooks/{provider}", hooks)
	mux.Handle("/", site)
	return mux
}
