// Package digest holds the domain of the weekly wrap: the types that flow
// through the pipeline (Article, Issue, Subscriber, Delivery), the sentinel
// errors, and the small interfaces the sub-packages implement.
//
// Data flows one way: sources produce Articles, curation turns them into an
// Issue, rendering turns the Issue into HTML and text, and the mailer sends
// it to every confirmed Subscriber, one Delivery each. This package imports
// only the standard library so that every other package may depend on it.
package digest
