# streamr against a real `stream serve` with a synthetic demo registry (60 patients, 3 sites).
# run-tests.sh starts the server and sets STREAMR_TEST_URL and STREAMR_TEST_ACCOUNTS (the
# output of `stream demo generate`, which lists each account's password).
library(streamr)

url <- Sys.getenv("STREAMR_TEST_URL")
accounts_file <- Sys.getenv("STREAMR_TEST_ACCOUNTS")
if (!nzchar(url) || !nzchar(accounts_file)) {
  if (identical(Sys.getenv("STREAMR_TEST_REQUIRED"), "1")) {
    stop("STREAMR_TEST_URL and STREAMR_TEST_ACCOUNTS are not set")
  }
  message("test-live.R: no server (run clients/r/run-tests.sh PATH-TO-STREAM); not run")
  quit(save = "no", status = 0)
}

here <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1]))
source(file.path(here, "harness.R"))

# The condition an expression raises (an error if it raises none).
condition_of <- function(expr) {
  tryCatch({ force(expr); stop("expected an error, got none", call. = FALSE) },
           stream_error = function(e) e)
}
expect_equal <- function(actual, expected, what) {
  if (!identical(actual, expected)) {
    stop(sprintf("%s: expected %s, got %s", what,
                 paste(deparse(expected), collapse = ""), paste(deparse(actual), collapse = "")),
         call. = FALSE)
  }
}

# --- API tokens issued the way a user would: session log-in, then POST /tokens ---------------
demo <- readLines(accounts_file)
password_of <- function(username) {
  line <- grep(paste0("^\\s+", gsub(".", "\\.", username, fixed = TRUE), "\\s"), demo, value = TRUE)
  if (length(line) != 1L) stop("no demo account ", username, " in ", accounts_file)
  strsplit(trimws(line), "\\s+")[[1]][2]
}
issue_token <- function(username) {
  api <- paste0(sub("/+$", "", url), "/api/v1")
  h <- httr::handle(api)  # its own handle: the session cookie stays out of streamr's requests
  login <- httr::POST(paste0(api, "/session"), handle = h, encode = "json",
                      body = list(username = username, password = password_of(username)))
  if (httr::status_code(login) != 201L) {
    stop("log-in as ", username, " answered ", httr::status_code(login), ": ",
         httr::content(login, as = "text", encoding = "UTF-8"))
  }
  cookie <- sub(";.*$", "", httr::headers(login)[["set-cookie"]])
  csrf <- httr::content(login, as = "parsed")$csrf_token
  issued <- httr::POST(paste0(api, "/tokens"), handle = h, encode = "json",
                       body = list(label = "streamr tests"),
                       httr::add_headers(Cookie = cookie, `X-CSRF-Token` = csrf))
  if (httr::status_code(issued) != 201L) {
    stop("POST /tokens as ", username, " answered ", httr::status_code(issued), ": ",
         httr::content(issued, as = "text", encoding = "UTF-8"))
  }
  secret <- httr::content(issued, as = "parsed")$secret
  if (!is.character(secret) || !startsWith(secret, "stk_")) stop("no stk_ secret for ", username)
  secret
}
stat_token <- issue_token("statistician.demo")
dm_token <- issue_token("data_manager.demo")

cat("streamr against ", url, "\n", sep = "")

# --- connecting ------------------------------------------------------------------------------
stat <- NULL
dm <- NULL
test("stream_connect signs in with a token and knows the role", {
  stat <<- stream_connect(url, stat_token)
  expect_equal(stat$username, "statistician.demo", "username")
  expect_equal(stat$role, "statistician", "role")
  shown <- paste(capture.output(print(stat), str(stat)), collapse = "\n")
  stopifnot("printing a connection must not show the token" = !grepl(stat_token, shown, fixed = TRUE))
  stopifnot(grepl("statistician.demo", shown, fixed = TRUE))
})

test("stream_connect reads STREAM_URL and STREAM_TOKEN by default", {
  old <- Sys.getenv(c("STREAM_URL", "STREAM_TOKEN"), unset = NA)
  on.exit(for (n in names(old)) if (is.na(old[[n]])) Sys.unsetenv(n) else do.call(Sys.setenv, as.list(old[n])))
  Sys.setenv(STREAM_URL = paste0(url, "/api/v1/"), STREAM_TOKEN = dm_token)
  dm <<- stream_connect()
  expect_equal(dm$role, "data_manager", "role")
  expect_equal(dm$url, paste0(sub("/+$", "", url), "/api/v1"), "normalised URL")
})
if (is.null(stat) || is.null(dm)) stop("cannot go on without connections")

# --- paging ----------------------------------------------------------------------------------
test("stream_patients follows next_after through every page", {
  one_page <- stream_get(dm, "/patients", list(limit = 1000))
  stopifnot("one page of 1000 holds every patient" = is.null(one_page$next_after))
  paged <- stream_patients(dm, limit = 7)  # 60 patients: 9 pages
  expect_equal(nrow(paged), nrow(one_page$items), "patients paged vs one page")
  expect_equal(nrow(paged), 60L, "patients in the demo registry")
  expect_equal(paged$id, as.integer(one_page$items$id), "patient ids in order")
  stopifnot(!anyDuplicated(paged$id))
  stopifnot(inherits(paged$registered_on, "Date"), is.factor(paged$sex), is.integer(paged$birth_year))
})

test("stream_patients(site =) lists one site's patients", {
  all <- stream_patients(dm)
  site <- all$site[1]
  one <- stream_patients(dm, site = site, limit = 5)
  expect_equal(one$id, all$id[all$site == site], "one site's patient ids")
  stopifnot(nrow(one) < nrow(all))
})

test("stream_records follows next_after and types the fields", {
  one_page <- stream_get(dm, "/records/response", list(limit = 1000))
  paged <- stream_records(dm, "response", limit = 13)
  expect_equal(nrow(paged), nrow(one_page$items), "responses paged vs one page")
  stopifnot(nrow(paged) > 13L)
  expect_equal(paged$id, as.integer(one_page$items$id), "record ids in order")
  stopifnot(inherits(paged$assessment_date, "Date"), is.numeric(paged$marrow_blasts),
            is.logical(paged$extramedullary_disease), is.integer(paged$patient_id))
  mine <- stream_records(dm, "response", patient = paged$patient_id[1])
  expect_equal(mine$id, paged$id[paged$patient_id == paged$patient_id[1]], "one patient's responses")
})

test("stream_enrolments follows next_offset through every page", {
  one_page <- stream_get(stat, "/protocols/rr-aml-platform/enrolments", list(limit = 1000))
  stopifnot("the demo registry enrols into rr-aml-platform" = nrow(one_page$items) > 2L)
  paged <- stream_enrolments(stat, "rr-aml-platform", limit = 2)
  expect_equal(nrow(paged), nrow(one_page$items), "enrolments paged vs one page")
  expect_equal(paged$patient, one_page$items$patient, "enrolment order")
  stopifnot(inherits(paged$enrolled_at, "POSIXct"), !anyNA(paged$enrolled_at))
})

# --- schema and exports ----------------------------------------------------------------------
schema <- NULL
test("stream_schema lists every field with its codes and labels", {
  schema <<- stream_schema(stat)
  row <- schema[schema$kind == "response" & schema$field == "eln2022_category", ]
  expect_equal(nrow(row), 1L, "rows for response.eln2022_category")
  expect_equal(row$type, "code", "type")
  stopifnot("cr" %in% row$codes[[1]])
  expect_equal(unname(row$code_labels[[1]][["cr"]]), "Complete remission (CR)", "label of cr")
  stopifnot(all(c("patient", "diagnosis", "response") %in% schema$kind))
})

response_csv <- function(con) {
  stream_get(con, "/exports/response", list(format = "csv", study = "impact-aml-rpct"))
}

test("stream_export types the response export and labels its codes", {
  resp <- stream_export(stat, "response", study = "impact-aml-rpct")
  raw <- response_csv(stat)
  expect_equal(nrow(resp), nrow(raw), "rows of the JSON and CSV exports")
  stopifnot(nrow(resp) > 0L)
  stopifnot("statisticians see per-study pseudonyms" = all(grepl("^S-[0-9a-f]{16}$", resp$patient)))
  expect_equal(resp$patient, raw$patient, "patients in export order")
  # code -> label, from the schema, in schema order
  f <- resp$eln2022_category
  row <- schema[schema$kind == "response" & schema$field == "eln2022_category", ]
  stopifnot(is.factor(f))
  expect_equal(levels(f), unname(row$code_labels[[1]]), "levels are the labels in schema order")
  expect_equal(stream_codes(f), ifelse(raw$eln2022_category == "", NA, raw$eln2022_category),
               "codes behind the labels (vs the CSV export)")
  is_cr <- !is.na(f) & stream_codes(f) == "cr"
  stopifnot("some response is a CR" = any(is_cr))
  stopifnot(all(as.character(f[is_cr]) == "Complete remission (CR)"))
  # the other types
  stopifnot(inherits(resp$assessment_date, "Date"), !anyNA(resp$assessment_date))
  expect_equal(format(resp$assessment_date), raw$assessment_date, "dates")
  stopifnot(is.double(resp$marrow_blasts), is.logical(resp$extramedullary_disease),
            is.integer(resp$version))
  expect_equal(resp$marrow_blasts, as.numeric(raw$marrow_blasts), "marrow blasts")
  expect_equal(names(resp)[1:3], c("patient", "assessment_date", "marrow_blasts"), "column order")
})

test("labels = FALSE keeps the raw codes as levels", {
  resp <- stream_export(stat, "response", study = "impact-aml-rpct", labels = FALSE)
  row <- schema[schema$kind == "response" & schema$field == "eln2022_category", ]
  expect_equal(levels(resp$eln2022_category), row$codes[[1]], "levels are the codes")
  raw <- response_csv(stat)
  expect_equal(as.character(resp$eln2022_category),
               ifelse(raw$eln2022_category == "", NA, raw$eln2022_category), "codes")
})

test("diagnosis export: disease code aml reads Acute myeloid leukaemia (AML)", {
  dx <- stream_export(stat, "diagnosis", study = "registry")
  codes <- stream_codes(dx$disease)
  stopifnot(any(codes == "aml"))
  stopifnot(all(as.character(dx$disease)[codes == "aml"] == "Acute myeloid leukaemia (AML)"))
  stopifnot(inherits(dx$diagnosis_date, "Date"), !anyNA(dx$diagnosis_date))
  expect_equal(nrow(dx), 60L, "one diagnosis per patient")
})

test("code sets: a list column, or ';'-joined as in the CSV export", {
  lines <- stream_export(stat, "treatment_line", study = "registry")
  stopifnot(is.list(lines$agents), any(lengths(lines$agents) > 1L))
  joined <- stream_export(stat, "treatment_line", study = "registry", sets = "string")
  raw <- stream_get(stat, "/exports/treatment_line", list(format = "csv", study = "registry"))
  expect_equal(joined$agents, raw$agents, "agents joined with ';'")
  expect_equal(vapply(lines$agents, paste, "", collapse = ";"), raw$agents, "agents as a list")
})

test("an empty kind still has its typed columns", {
  dli <- stream_export(stat, "dli", study = "registry")
  expect_equal(nrow(dli), 0L, "DLI records in the demo registry")
  stopifnot(inherits(dli$infusion_date, "Date"), is.factor(dli$indication),
            is.character(dli$patient), is.double(dli$cd3_dose))
})

test("the patient export names patients by pseudonym", {
  p <- stream_export(stat, "patient", study = "registry")
  expect_equal(nrow(p), 60L, "patients")
  stopifnot(all(grepl("^S-[0-9a-f]{16}$", p$pseudonym)), is.factor(p$sex))
  stopifnot(!anyNA(p$sex), all(stream_codes(p$sex) %in% c("female", "male", "other", "unknown")))
  # The month of birth is not shown to statisticians: no column, rather than NA ("not recorded").
  stopifnot(!("birth_month" %in% names(p)), "birth_year" %in% names(p))
})

# --- errors ----------------------------------------------------------------------------------
test("404 raises a stream_error with code and request id", {
  e <- condition_of(stream_get(dm, "/patients/999999"))
  expect_equal(e$status, 404L, "status")
  expect_equal(e$code, "not_found", "code")
  stopifnot(grepl("^[0-9a-f]{16}$", e$request_id))
  stopifnot(grepl(e$request_id, conditionMessage(e), fixed = TRUE),
            grepl("/patients/999999", conditionMessage(e), fixed = TRUE),
            grepl("not_found", conditionMessage(e), fixed = TRUE))
})

test("a bad token raises a 401 stream_error", {
  e <- condition_of(stream_connect(url, "stk_not-a-real-token"))
  expect_equal(e$status, 401L, "status")
  expect_equal(e$code, "unauthenticated", "code")
  stopifnot(nzchar(e$request_id), inherits(e, "error"))
})

test("a role without the permission gets a 403 stream_error", {
  e <- condition_of(stream_patients(stat))
  expect_equal(e$status, 403L, "status")
  expect_equal(e$code, "permission_denied", "code")
})

test("a 422 names the parameter at fault in where", {
  e <- condition_of(stream_patients(dm, limit = 0))
  expect_equal(c(e$status, e$code, e$where), c("422", "invalid_argument", "limit"), "error")
  e <- condition_of(stream_export(stat, "response"))
  expect_equal(e$where, "study", "where, for an export without a study")
  stopifnot(grepl("(where: study)", conditionMessage(e), fixed = TRUE))
})

test("an unknown kind is the server's 404", {
  e <- condition_of(stream_export(stat, "no_such_kind", study = "registry"))
  expect_equal(c(e$status, e$code), c("404", "not_found"), "error")
})

test("an unreachable server raises a stream_connection_error naming the URL", {
  e <- condition_of(stream_connect("http://127.0.0.1:9/", "stk_x"))
  stopifnot(inherits(e, "stream_connection_error"), is.na(e$status))
  expect_equal(e$code, "connection_failed", "code")
  stopifnot(grepl("http://127.0.0.1:9/api/v1/session", conditionMessage(e), fixed = TRUE))
})

finish()
