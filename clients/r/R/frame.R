# JSON items to data frames, and the schema's types applied to them.

# A data frame from a list of JSON objects (parsed with simplifyVector = FALSE): one column per
# name seen, NULL -> NA, arrays -> list columns. `ensure` names columns to create even when no
# item has them (an empty page still has the kind's columns).
items_to_df <- function(items, ensure = character()) {
  n <- length(items)
  cols <- unique(c(ensure, unlist(lapply(items, names), use.names = FALSE)))
  out <- lapply(cols, function(col) {
    vals <- lapply(items, function(it) it[[col]])
    scalar <- vapply(vals, function(v) is.null(v) || (is.atomic(v) && length(v) == 1L), logical(1))
    if (all(scalar)) {
      vals[vapply(vals, is.null, logical(1))] <- list(NA)
      v <- unlist(vals, use.names = FALSE)
      if (is.null(v)) logical() else v
    } else {
      lapply(vals, function(v) {
        if (is.list(v) && all(vapply(v, function(e) is.atomic(e) && length(e) == 1L, logical(1)))) {
          unlist(v, use.names = FALSE) %||% character()
        } else {
          v
        }
      })
    }
  })
  names(out) <- cols
  structure(out, class = "data.frame", row.names = seq_len(n))
}

# The registry's schema, fetched once per connection.
schema_kinds <- function(con) {
  if (is.null(con$state$schema)) {
    s <- stream_request(con, "/schema")
    kinds <- s$kinds
    names(kinds) <- vapply(kinds, function(k) k$name, character(1))
    con$state$schema <- kinds
  }
  con$state$schema
}

kind_fields <- function(con, kind) {
  k <- schema_kinds(con)[[kind]]
  if (is.null(k)) {
    stop(sprintf("the registry's schema has no record kind '%s'", kind), call. = FALSE)
  }
  k$fields
}

as_strict_date <- function(x, name) {
  x <- as.character(x)
  d <- as.Date(x, format = "%Y-%m-%d")
  bad <- !is.na(x) & is.na(d)
  if (any(bad)) {
    warning(sprintf("field '%s': %d value(s) are not YYYY-MM-DD dates and became NA, e.g. '%s'",
                    name, sum(bad), x[bad][1]), call. = FALSE)
  }
  d
}

# A factor with the code list as levels, in schema order; with labels = TRUE the levels read as
# the human labels. attr(, "codes") holds the codes in level order either way.
as_code_factor <- function(x, field, labels = TRUE) {
  x <- as.character(x)
  codes <- as.character(unlist(field$codes, use.names = FALSE))
  extra <- setdiff(unique(x[!is.na(x)]), codes)
  if (length(extra)) {
    warning(sprintf("field '%s': code(s) not in the schema's list kept as extra levels: %s",
                    field$name, paste(extra, collapse = ", ")), call. = FALSE)
    codes <- c(codes, extra)
  }
  labs <- codes
  if (isTRUE(labels) && length(field$code_labels)) {
    known <- vapply(codes, function(cd) {
      l <- field$code_labels[[cd]]
      if (is.character(l) && length(l) == 1L && nzchar(l)) l else cd
    }, character(1), USE.NAMES = FALSE)
    labs <- known
    dup <- duplicated(labs) | duplicated(labs, fromLast = TRUE)
    labs[dup] <- paste0(labs[dup], " (", codes[dup], ")")  # factor() would merge equal labels
  }
  f <- factor(x, levels = codes, labels = labs)
  attr(f, "codes") <- codes
  f
}

as_code_set <- function(x, sets) {
  v <- if (is.list(x)) x else as.list(x)
  v <- lapply(v, function(e) {
    if (is.null(e) || (length(e) == 1L && is.na(e))) NA_character_ else as.character(unlist(e))
  })
  if (sets == "string") {
    vapply(v, function(e) {
      if (length(e) == 1L && is.na(e)) NA_character_ else paste(e, collapse = ";")
    }, character(1))
  } else {
    v
  }
}

convert_field <- function(x, field, labels, sets) {
  switch(field$type,
    integer = as.integer(x),
    number = as.numeric(x),
    boolean = as.logical(x),
    date = as_strict_date(x, field$name),
    code = as_code_factor(x, field, labels),
    codes = as_code_set(x, sets),
    text = as.character(x),
    x
  )
}

lead_columns <- c("id", "patient_id", "patient", "pseudonym")

# Items of one record kind to a typed data frame: identifying columns first, then the kind's
# fields in schema order, then the rest (version, ...).
typed_frame <- function(con, items, kind, labels, sets, lead) {
  if (!(isTRUE(labels) || isFALSE(labels))) stop("labels must be TRUE or FALSE", call. = FALSE)
  # Fields the connection's role may not see are left out, as the server leaves them out
  # (an NA column would read as "not recorded").
  fields <- Filter(function(f) is.null(f$seen_by) || con$role %in% unlist(f$seen_by),
                   kind_fields(con, kind))
  field_names <- vapply(fields, function(f) f$name, character(1))
  df <- items_to_df(items, ensure = c(lead, field_names))
  for (f in fields) df[[f$name]] <- convert_field(df[[f$name]], f, labels, sets)
  # Columns the schema does not describe: typed only when every value is missing (an empty page).
  for (col in intersect(c("patient", "pseudonym"), setdiff(names(df), field_names))) {
    df[[col]] <- as.character(df[[col]])
  }
  for (col in intersect(c("id", "patient_id", "version"), names(df))) {
    if (is.logical(df[[col]])) df[[col]] <- as.integer(df[[col]])
  }
  order <- unique(c(intersect(lead_columns, names(df)), field_names, names(df)))
  df[order]
}

# The schema as one row per field; codes and code_labels are list columns (code_labels named by
# code).
schema_frame <- function(kinds) {
  fields <- unlist(lapply(kinds, function(k) lapply(k$fields, function(f) c(f, kind = k$name))),
                   recursive = FALSE)
  chr <- function(name) vapply(fields, function(f) as.character(f[[name]] %||% ""), character(1))
  num <- function(name) vapply(fields, function(f) as.numeric(f[[name]] %||% NA_real_), numeric(1))
  codes <- lapply(fields, function(f) as.character(unlist(f$codes, use.names = FALSE)))
  labels <- lapply(fields, function(f) {
    cs <- as.character(unlist(f$codes, use.names = FALSE))
    vapply(cs, function(cd) as.character(f$code_labels[[cd]] %||% cd), character(1))
  })
  df <- data.frame(kind = chr("kind"), field = chr("name"), type = chr("type"),
                   required = vapply(fields, function(f) isTRUE(f$required), logical(1)),
                   unit = chr("unit"), min = num("min"), max = num("max"),
                   format = chr("format"), code_system = chr("code_system"),
                   description = chr("description"), stringsAsFactors = FALSE)
  df$codes <- unname(codes)
  df$code_labels <- unname(labels)
  df
}
