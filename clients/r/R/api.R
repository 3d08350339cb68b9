# The registry's lists, schema and exports as data frames.

check_sets <- function(sets) {
  match.arg(sets, c("list", "string"))
}

check_name <- function(x, what) {
  if (!is.character(x) || length(x) != 1L || is.na(x) || !nzchar(x)) {
    stop(sprintf("%s must be one non-empty string", what), call. = FALSE)
  }
  x
}

# Every item of a paged list: `cursor` is "after" (keyset, next_after) or "offset" (next_offset).
page_through <- function(con, path, query, cursor, limit) {
  pages <- list()
  position <- NULL
  repeat {
    q <- c(query, list(limit = limit))
    q[[cursor]] <- position
    page <- stream_request(con, path, q)
    if (!is.list(page) || !("items" %in% names(page))) {
      stop(sprintf("%s: the answer has no 'items' list", path), call. = FALSE)
    }
    pages[[length(pages) + 1L]] <- page$items
    following <- page[[paste0("next_", cursor)]]
    if (is.null(following)) break
    if (!is.null(position) && following <= position) {
      stop(sprintf("%s: next_%s %s does not move past %s", path, cursor, following, position),
           call. = FALSE)
    }
    position <- following
  }
  unlist(pages, recursive = FALSE)
}

stream_patients <- function(con, site = NULL, limit = 1000, labels = TRUE,
                            sets = c("list", "string")) {
  sets <- check_sets(sets)
  items <- page_through(con, "/patients", list(site = site), "after", limit)
  typed_frame(con, items, "patient", labels, sets, lead = "id")
}

stream_records <- function(con, kind, patient = NULL, site = NULL, limit = 1000, labels = TRUE,
                           sets = c("list", "string")) {
  kind <- check_name(kind, "kind")
  sets <- check_sets(sets)
  if (is.null(patient)) {
    path <- paste0("/records/", encode_segment(kind))
    query <- list(site = site)
  } else {
    path <- paste0("/patients/", encode_segment(query_value(patient)), "/records/",
                   encode_segment(kind))
    query <- list()
  }
  items <- page_through(con, path, query, "after", limit)
  typed_frame(con, items, kind, labels, sets, lead = c("id", "patient_id"))
}

stream_enrolments <- function(con, protocol, limit = 1000) {
  protocol <- check_name(protocol, "protocol")
  items <- page_through(con, paste0("/protocols/", encode_segment(protocol), "/enrolments"),
                        list(), "offset", limit)
  df <- items_to_df(items, ensure = c("patient", "arm", "enrolled_at"))
  df$enrolled_at <- as.POSIXct(as.character(df$enrolled_at), format = "%Y-%m-%dT%H:%M:%OSZ",
                               tz = "UTC")
  df[unique(c(intersect(c("id", "patient_id", "patient"), names(df)), names(df)))]
}

stream_schema <- function(con) {
  check_connection(con)
  schema_frame(schema_kinds(con))
}

stream_export <- function(con, kind, study = NULL, labels = TRUE, sets = c("list", "string")) {
  kind <- check_name(kind, "kind")
  if (!is.null(study)) study <- check_name(study, "study")
  sets <- check_sets(sets)
  answer <- stream_request(con, paste0("/exports/", encode_segment(kind)),
                           list(format = "json", study = study))
  if (!is.list(answer) || !("items" %in% names(answer))) {
    stop(sprintf("export of '%s': the answer has no 'items' list", kind), call. = FALSE)
  }
  lead <- if (kind == "patient") "pseudonym" else "patient"
  typed_frame(con, answer$items, kind, labels, sets, lead = lead)
}

stream_codes <- function(x) {
  codes <- attr(x, "codes")
  if (!is.factor(x) || is.null(codes) || length(codes) != nlevels(x)) {
    stop("stream_codes: expected a code column as returned by streamr (its \"codes\" attribute ",
         "is dropped by subsetting a factor: take the codes first, or use labels = FALSE)",
         call. = FALSE)
  }
  codes[as.integer(x)]
}
