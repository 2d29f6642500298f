-- The KPIs count test drives by when they happened, per dealer.
CREATE INDEX leads_test_drive ON leads (dealer_id, test_drive_at);
