package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/weeklywrap/digest/digest"
)

func (s *db) AddLink(ctx context.Context, l digest.Link) (digest.Link, error) {
	if l.URL == "" || l.AddedBy == "" {
		return l, fmt.Errorf("store: add link: url and added_by are required: %w", digest.ErrInvalid)
	}
	art, err := json.Marshal(l.Article)
	if err != nil {
		return l, fmt.Errorf("store: add link %s: encode: %w", l.URL, err)
	}
	if l.AddedAt.IsZero() {
		l.AddedAt = time.Now()
	}
	l.AddedAt, l.Slot = roundTime(l.AddedAt), time.Time{}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		// The current draft takes the link while editors may still change
		// it; an approved one is frozen, so the link waits for the next.
		q := `SELECT slot, state FROM drafts WHERE state NOT IN (?, ?) ORDER BY slot DESC LIMIT 1`
		if s.d.postgres {
			q += ` FOR UPDATE`
		}
		var (
			slot  dbTime
			state string
		)
		err := tx.QueryRowContext(ctx, s.d.q(q), string(digest.DraftSent), string(digest.DraftSkipped)).Scan(&slot, &state)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("store: add link %s: current draft: %w", l.URL, err)
		case stateIn(digest.DraftState(state), editable):
			l.Slot = slot.T
		}
		err = tx.QueryRowContext(ctx, s.d.q(`INSERT INTO links (url, note, article, added_by, added_at, slot)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`),
			txt(l.URL), txt(l.Note), string(art), txt(l.AddedBy), s.d.t(l.AddedAt), s.d.t(l.Slot)).Scan(&l.ID)
		if err != nil {
			return fmt.Errorf("store: add link %s: %w", l.URL, err)
		}
		if l.Slot.IsZero() {
			return nil
		}
		e := digest.Edit{Slot: l.Slot, Story: l.Article.ID, Kind: digest.EditLink, Value: l.URL, Editor: l.AddedBy, At: l.AddedAt}
		if _, err := s.insertEdit(ctx, tx, e); err != nil {
			return err
		}
		return s.bumpDraft(ctx, tx, l.Slot, "")
	})
	return l, err
}

func (s *db) Links(ctx context.Context, slot time.Time) ([]digest.Link, error) {
	where, args := `slot IS NULL`, []any{}
	if !slot.IsZero() {
		where, args = `slot = ?`, []any{s.d.t(slot)}
	}
	rows, err := s.r.QueryContext(ctx, s.d.q(`SELECT id, url, note, article, added_by, added_at, slot FROM links
		WHERE `+where+` ORDER BY id`), args...)
	if err != nil {
		return nil, fmt.Errorf("store: links: %w", err)
	}
	defer rows.Close()
	var out []digest.Link
	for rows.Next() {
		var (
			l           digest.Link
			art         string
			added, slot dbTime
		)
		if err := rows.Scan(&l.ID, &l.URL, &l.Note, &art, &l.AddedBy, &added, &slot); err != nil {
			return nil, fmt.Errorf("store: links: %w", err)
		}
		if err := json.Unmarshal([]byte(art), &l.Article); err != nil {
			return nil, fmt.Errorf("store: link %d: decode: %w", l.ID, err)
		}
		l.AddedAt, l.Slot = added.T, slot.T
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: links: %w", err)
	}
	return out, nil
}

func (s *db) ClaimLinks(ctx context.Context, slot time.Time) ([]digest.Link, error) {
	if slot.IsZero() {
		return nil, fmt.Errorf("store: claim links: no slot: %w", digest.ErrInvalid)
	}
	if _, err := s.w.ExecContext(ctx, s.d.q(`UPDATE links SET slot = ? WHERE slot IS NULL`), s.d.t(slot)); err != nil {
		return nil, fmt.Errorf("store: claim links for %s: %w", slotName(slot), err)
	}
	return s.Links(ctx, slot)
}
