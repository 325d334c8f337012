-- OrderingApi reads the committed reservations in commit order, a page at a time, to find sales whose order was never
-- written (GET /api/stock/reservations/committed). Only committed rows are indexed; a commit sets ended_at.
CREATE INDEX reservations_committed_idx ON reservations (ended_at, id) WHERE status = 'committed';
