"""Hard limits on what the engine and the HTTP layer accept.

Every bound a request can hit is named here, so error messages, the README and
the tests all quote the same numbers.
"""

MAX_KERNEL_SIDE = 63
"""Largest kernel side, in taps (rows or columns)."""

MAX_IMAGE_SIDE = 4096
"""Largest image side after decoding, in pixels."""

MAX_IMAGE_PIXELS = 16_000_000
"""Largest image area after decoding, in pixels (16 MP)."""

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
"""Largest upload body, in bytes (10 MB)."""

MAX_REPEAT = 10
"""Most passes of the kernel a single request may ask for."""

MAX_STRIDE = 64
"""Largest stride along either axis, in input pixels."""

MAX_DILATION = 32
"""Largest dilation along either axis, in input pixels between taps."""

MAX_RAW_VALUES = 1_048_576
"""Most floats `/api/convolve` returns (width × height × channels)."""

MAX_ABS_NUMBER = 1e9
"""Largest magnitude accepted for a weight, divisor, offset or fill value."""
