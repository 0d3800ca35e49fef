"""What the tests and the benchmarks share (never imported by the library): the page generator
(:mod:`testkit.pages`), the readers of the peer test suites (:mod:`testkit.recognizers`), and the
helpers that compare page text with a page's spec (:mod:`testkit.specs`)."""
