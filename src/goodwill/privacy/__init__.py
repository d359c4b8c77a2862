"""Privacy: everything about one customer (right of access), erasure of one customer with every
derived record, and the organisation's retention policy for old interactions."""
