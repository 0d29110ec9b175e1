"""The matcher's C module (matcher/_rank.c); everything else about the package is in
pyproject.toml.

Optional: without a C compiler the install still succeeds and the matcher runs its Python
paths (same results, slower at large FAQs); tests/test_matcher_rank.py fails then.
-ffp-contract=off: no fused multiply-add, so that the C and Python paths round alike.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "matcher._rank",
            sources=["matcher/_rank.c"],
            extra_compile_args=["-O3", "-ffp-contract=off"],
            libraries=["m"],
            optional=True,
        )
    ]
)
