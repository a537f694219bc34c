package token

// Desk is the purpose of an editor's sign-in link to the desk: the token
// names a single-use sign-in row, not a subscriber.
const Desk = "desk"
