"""What leaves the service on its own: live events to subscribers (events.py) and signed
webhook deliveries (webhooks.py), through a transport that checks every address it
connects to (addresses.py)."""
