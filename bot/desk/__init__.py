"""The escalation desk: organisation, roster, routing, tickets, reminders, outbox."""
