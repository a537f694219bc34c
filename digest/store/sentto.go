package store

import (
	"context"
	"fmt"
	"strings"
)

func (s *db) SentMessageTo(ctx context.Context, messageID, email string) (bool, error) {
	email = normEmail(email)
	messageID = strings.Trim(strings.TrimSpace(messageID), "<>")
	if email == "" || messageID == "" {
		return false, nil
	}
	// Through the address's own rows (subscribers.email is unique, and
	// deliveries and the outbox are indexed by subscriber and recipient),
	// so no report makes the store scan every delivery.
	var n int
	err := s.r.QueryRowContext(ctx, s.d.q(`SELECT
		(SELECT COUNT(*) FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE s.email = ? AND d.message_id = ?)
		+ (SELECT COUNT(*) FROM outbox WHERE recipient = ? AND message_id = ?)`),
		email, messageID, email, messageID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: sent message to: %w", err)
	}
	return n > 0, nil
}
