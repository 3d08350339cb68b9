# streamr's conversions without a server: JSON items to data frames and the schema's types.
library(streamr)

here <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1]))
source(file.path(here, "harness.R"))

warnings_of <- function(expr) {
  seen <- character()
  value <- withCallingHandlers(expr, warning = function(w) {
    seen <<- c(seen, conditionMessage(w))
    invokeRestart("muffleWarning")
  })
  list(value = value, warnings = seen)
}

items_to_df <- streamr:::items_to_df
as_code_factor <- streamr:::as_code_factor
as_code_set <- streamr:::as_code_set
parse <- function(json) jsonlite::fromJSON(json, simplifyVector = FALSE)

field <- list(name = "status", type = "code", codes = list("cr", "pr", "nr"),
              code_labels = list(cr = "Complete remission", pr = "Partial remission", nr = "No response"))

test("items: nulls become NA, arrays list columns, missing keys NA", {
  df <- items_to_df(parse('[{"a": 1, "b": null, "s": ["x", "y"]}, {"a": 2, "s": []}]'))
  stopifnot(identical(df$a, c(1L, 2L)), identical(df$b, c(NA, NA)))
  stopifnot(is.list(df$s), identical(df$s[[1]], c("x", "y")), identical(length(df$s[[2]]), 0L))
  stopifnot(identical(nrow(items_to_df(list(), ensure = c("a", "b"))), 0L))
  stopifnot(identical(names(items_to_df(list(), ensure = c("a", "b"))), c("a", "b")))
})

test("a code factor keeps schema order, labels, and its codes", {
  f <- as_code_factor(c("pr", NA, "cr", "pr"), field, labels = TRUE)
  stopifnot(identical(levels(f), c("Complete remission", "Partial remission", "No response")))
  stopifnot(identical(as.character(f), c("Partial remission", NA, "Complete remission", "Partial remission")))
  stopifnot(identical(stream_codes(f), c("pr", NA, "cr", "pr")))
  stopifnot(identical(as.vector(table(f)), c(1L, 2L, 0L)))
  g <- as_code_factor(c("pr", "cr"), field, labels = FALSE)
  stopifnot(identical(levels(g), c("cr", "pr", "nr")), identical(stream_codes(g), c("pr", "cr")))
})

test("a code missing from the schema is an extra level, with a warning", {
  r <- warnings_of(as_code_factor(c("cr", "legacy"), field))
  stopifnot(length(r$warnings) == 1L, grepl("legacy", r$warnings))
  stopifnot(identical(stream_codes(r$value), c("cr", "legacy")), !anyNA(r$value))
})

test("equal labels stay distinct levels", {
  twin <- field
  twin$code_labels$nr <- "Partial remission"
  f <- as_code_factor(c("pr", "nr"), twin)
  stopifnot(nlevels(f) == 3L, identical(stream_codes(f), c("pr", "nr")))
})

test("stream_codes refuses a factor that lost its codes", {
  f <- as_code_factor(c("pr", "cr"), field)[1]
  e <- tryCatch(stream_codes(f), error = function(e) e)
  stopifnot(inherits(e, "error"), grepl("labels = FALSE", conditionMessage(e)))
})

test("code sets: list or ';'-joined, missing stays NA", {
  x <- list(c("a", "b"), NA, character())
  stopifnot(identical(as_code_set(x, "string"), c("a;b", NA, "")))
  l <- as_code_set(x, "list")
  stopifnot(identical(l[[1]], c("a", "b")), identical(l[[2]], NA_character_), identical(l[[3]], character()))
})

test("a malformed date becomes NA with a warning", {
  r <- warnings_of(streamr:::as_strict_date(c("2025-01-02", "02/01/2025", NA), "d"))
  stopifnot(identical(r$value, as.Date(c("2025-01-02", NA, NA))), length(r$warnings) == 1L)
})

test("URLs and query values", {
  root <- streamr:::api_root
  stopifnot(identical(root("http://h:1"), "http://h:1/api/v1"),
            identical(root("http://h:1/api/v1/"), "http://h:1/api/v1"))
  stopifnot(identical(streamr:::query_value(100000), "100000"),
            identical(streamr:::query_value(TRUE), "true"))
  stopifnot(identical(streamr:::api_path("api/v1/patients"), "/patients"),
            identical(streamr:::api_path("patients"), "/patients"))
})

test("stream_connect refuses missing and malformed arguments before any request", {
  e1 <- tryCatch(stream_connect("", "stk_x"), error = function(e) conditionMessage(e))
  e2 <- tryCatch(stream_connect("http://127.0.0.1:9", ""), error = function(e) conditionMessage(e))
  e3 <- tryCatch(stream_connect("ftp://x", "stk_x"), error = function(e) conditionMessage(e))
  stopifnot(grepl("STREAM_URL", e1), grepl("STREAM_TOKEN", e2), grepl("http", e3))
  w <- tryCatch(stream_connect("http://198.51.100.7:9", "stk_x"), warning = function(w) conditionMessage(w))
  stopifnot(grepl("plain HTTP", w))
})

finish()
