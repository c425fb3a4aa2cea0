package progress

// Backend names the database behind the lab store ("sqlite" or
// "postgres"), so the cost lab can say what its store lookup measured.
func (l Labs) Backend() string { return l.s.Dialect() }
