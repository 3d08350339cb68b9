"""A Python client for the STREAM registry's HTTP API (``/api/v1``), standard library only.

    from stream_client import Client
    client = Client.from_env()                      # STREAM_URL, STREAM_TOKEN (stk_...)
    rows = client.export("response", study="rr-aml-platform")

See README.md for the whole API.
"""

__version__ = "0.1.0"

from .client import Client, issue_token  # noqa: E402
from .errors import StreamConnectionError, StreamError  # noqa: E402
from .values import LABEL_SUFFIX, ValueProblem  # noqa: E402

__all__ = ["Client", "issue_token", "StreamError", "StreamConnectionError", "ValueProblem", "LABEL_SUFFIX",
           "__version__"]
