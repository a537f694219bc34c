// Package templates embeds the default email and web templates. Operators
// may override any of them with templates_dir in config; these are the
// fallbacks. It is a package of its own because go:embed cannot reach "..".
package templates

import "embed"

// FS holds email/*.tmpl (the newsletter), web/*.tmpl (the site pages),
// notice/*.tmpl (the confirmation and welcome messages) and lang/*.json
// (the labels in German, French and Spanish; English is the keys).
//
//go:embed email web notice lang
var FS embed.FS
