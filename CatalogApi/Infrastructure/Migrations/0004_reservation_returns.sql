-- A committed reservation whose order was cancelled: its stock went back on hand (a return movement per line).
ALTER TABLE reservations DROP CONSTRAINT reservations_status_check;
ALTER TABLE reservations ADD CONSTRAINT reservations_status_check
    CHECK (status IN ('active', 'committed', 'released', 'expired', 'returned'));
