# The small test harness both test files share: every test runs, failures are listed, and
# finish() sets the exit status.
failures <- character()
passed <- 0L
test <- function(name, code) {
  result <- tryCatch({ force(code); NULL }, error = function(e) conditionMessage(e))
  if (is.null(result)) {
    passed <<- passed + 1L
    cat("  ok    ", name, "\n", sep = "")
  } else {
    failures <<- c(failures, paste0(name, ": ", result))
    cat("  FAIL  ", name, "\n        ", gsub("\n", "\n        ", result), "\n", sep = "")
  }
}
finish <- function() {
  cat(sprintf("%d passed, %d failed\n", passed, length(failures)))
  if (length(failures)) {
    cat("failures:\n", paste0("  ", failures, "\n"), sep = "")
    quit(save = "no", status = 1)
  }
}
