"""Remote delivery of ``assess take --candidate``: invitations by link, served to a browser.

* :mod:`assess.remote.invitations`: the invitation model, tokens, durations and states (pure).
* :mod:`assess.remote.store`: invitation files beside the answers (0600, atomic).
* :mod:`assess.remote.security`: headers, bad-token throttle, an access log without tokens.
* :mod:`assess.remote.server`: the aiohttp server that runs one app process per visitor
  through textual-serve, after the token was checked.
* :mod:`assess.remote.session_app`: what that process runs (the take app, locked to one
  candidate, in candidate mode).
* :mod:`assess.remote.commands`: ``assess invite``, ``assess invites``, ``assess serve``.
"""
