# Connections, requests and errors.

streamr_version <- function() {
  as.character(utils::packageVersion("streamr"))
}

# The API root from what the user gave: "https://host", "https://host/" or
# "https://host/api/v1" all mean the same server.
api_root <- function(url) {
  url <- sub("/+$", "", url)
  url <- sub("/api/v1$", "", url)
  paste0(url, "/api/v1")
}

is_loopback <- function(url) {
  host <- sub("^[a-zA-Z]+://(\\[[^]]*\\]|[^/:]*).*$", "\\1", url)
  tolower(host) %in% c("localhost", "127.0.0.1", "[::1]") || startsWith(host, "127.")
}

stream_connect <- function(url = Sys.getenv("STREAM_URL"),
                           token = Sys.getenv("STREAM_TOKEN"),
                           timeout = 60) {
  if (!is.character(url) || length(url) != 1L || is.na(url) || !nzchar(url)) {
    stop("stream_connect: no server URL: pass url = or set STREAM_URL", call. = FALSE)
  }
  if (!grepl("^https?://", url)) {
    stop(sprintf("stream_connect: '%s' is not an http:// or https:// URL", url), call. = FALSE)
  }
  if (!is.character(token) || length(token) != 1L || is.na(token) || !nzchar(token)) {
    stop("stream_connect: no API token: pass token = or set STREAM_TOKEN ",
         "(issue one with POST /api/v1/tokens or in the web app)", call. = FALSE)
  }
  if (!startsWith(token, "stk_")) {
    stop("stream_connect: an API token starts with 'stk_'", call. = FALSE)
  }
  if (startsWith(url, "http://") && !is_loopback(url)) {
    warning(sprintf("stream_connect: sending an API token over plain HTTP to %s; use https://", url),
            call. = FALSE)
  }
  root <- api_root(url)
  # The secret lives in an environment so that str(con) and print(con) do not show it;
  # the handle is the connection's own, so no cookie of another session is sent with it.
  state <- new.env(parent = emptyenv())
  state$token <- token
  state$handle <- httr::handle(root)
  state$schema <- NULL
  con <- structure(list(url = root, timeout = timeout, state = state,
                        username = NA_character_, role = NA_character_, site = NA_character_),
                   class = "stream_connection")
  me <- stream_request(con, "/session")
  con$username <- me$username %||% NA_character_
  con$role <- me$role %||% NA_character_
  con$site <- me$site %||% ""
  con
}

print.stream_connection <- function(x, ...) {
  site <- if (is.null(x$site) || identical(x$site, "")) "" else paste0(", site ", x$site)
  cat(sprintf("<STREAM connection to %s as %s (%s%s)>\n", x$url, x$username, x$role, site))
  invisible(x)
}

`%||%` <- function(a, b) if (is.null(a)) b else a

check_connection <- function(con) {
  if (!inherits(con, "stream_connection")) {
    stop("expected a connection from stream_connect()", call. = FALSE)
  }
}

# A condition of class stream_error; `subclass` is prepended.
stream_error <- function(message, status = NA_integer_, code = NA_character_,
                         where = NA_character_, request_id = NA_character_,
                         url = NA_character_, subclass = character()) {
  structure(
    class = c(subclass, "stream_error", "error", "condition"),
    list(message = message, call = NULL, status = as.integer(status), code = code,
         where = where, request_id = request_id, url = url)
  )
}

error_message <- function(status, code, msg, where, request_id, method, url) {
  paste0(
    "STREAM ", status, " ", code, ": ", msg,
    if (!is.na(where) && nzchar(where)) paste0(" (where: ", where, ")") else "",
    "\n  ", method, " ", url,
    if (!is.na(request_id) && nzchar(request_id)) paste0("  [request ", request_id, "]") else ""
  )
}

# The request path under /api/v1, from "patients", "/patients" or "/api/v1/patients".
api_path <- function(path) {
  if (!is.character(path) || length(path) != 1L || is.na(path)) {
    stop("path must be one string such as \"/patients\"", call. = FALSE)
  }
  path <- sub("^/?(api/v1)?/?", "", path)
  paste0("/", path)
}

# Query values as the server reads them: whole numbers never in scientific notation (ids above
# 99999 would otherwise be sent as "1e+05"), logicals as true/false.
query_value <- function(v) {
  if (length(v) != 1L) stop("each query parameter takes one value", call. = FALSE)
  if (is.numeric(v) && !is.na(v) && v == round(v)) return(sprintf("%.0f", v))
  if (is.logical(v)) return(tolower(as.character(v)))
  as.character(v)
}

encode_segment <- function(x) utils::URLencode(as.character(x), reserved = TRUE)

# One GET; answers the httr response or raises a stream_error.
stream_response <- function(con, path, query = list()) {
  check_connection(con)
  url <- paste0(con$url, api_path(path))
  query <- lapply(Filter(Negate(is.null), query), query_value)
  resp <- tryCatch(
    httr::GET(url, query = if (length(query)) query else NULL,
              httr::add_headers(Authorization = paste("Bearer", con$state$token),
                                Accept = "application/json, text/csv"),
              httr::user_agent(paste0("streamr/", streamr_version())),
              httr::timeout(con$timeout),
              handle = con$state$handle),
    error = function(e) {
      stop(stream_error(
        paste0("could not reach STREAM at ", url, ": ", conditionMessage(e)),
        code = "connection_failed", url = url, subclass = "stream_connection_error"))
    })
  status <- httr::status_code(resp)
  if (status >= 400L) {
    request_id <- httr::headers(resp)[["x-request-id"]] %||% NA_character_
    code <- paste0("http_", status)
    msg <- httr::http_status(resp)$message
    where <- NA_character_
    text <- httr::content(resp, as = "text", encoding = "UTF-8")
    body <- tryCatch(jsonlite::fromJSON(text, simplifyVector = FALSE), error = function(e) NULL)
    if (is.list(body) && is.list(body$error)) {
      e <- body$error
      code <- e$code %||% code
      msg <- e$message %||% msg
      where <- e$where %||% NA_character_
      request_id <- e$request_id %||% request_id
    } else if (!is.null(text) && nzchar(text)) {
      msg <- substr(text, 1L, 200L)
    }
    stop(stream_error(error_message(status, code, msg, where, request_id, "GET", resp$url),
                      status = status, code = code, where = where,
                      request_id = request_id, url = resp$url))
  }
  resp
}

# One GET answering parsed JSON as lists, not simplified (what the package reads itself).
stream_request <- function(con, path, query = list()) stream_get(con, path, query, simplify = FALSE)

stream_get <- function(con, path, query = list(), simplify = TRUE) {
  resp <- stream_response(con, path, query)
  type <- httr::headers(resp)[["content-type"]] %||% ""
  text <- httr::content(resp, as = "text", encoding = "UTF-8")
  if (startsWith(type, "application/json")) {
    jsonlite::fromJSON(text, simplifyVector = simplify)
  } else if (startsWith(type, "text/csv")) {
    utils::read.csv(text = text, stringsAsFactors = FALSE, check.names = FALSE,
                    na.strings = "", colClasses = "character")
  } else {
    text
  }
}
