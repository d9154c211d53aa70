#pragma once
// RAII owners for tree-sitter's C handles. Every handle gapmap creates lives in one of these.
#include <tree_sitter/api.h>

#include <memory>

namespace gapmap::lang {

struct ParserDeleter {
  void operator()(TSParser* p) const { ts_parser_delete(p); }
};
struct TreeDeleter {
  void operator()(TSTree* t) const { ts_tree_delete(t); }
};
struct QueryDeleter {
  void operator()(TSQuery* q) const { ts_query_delete(q); }
};
struct QueryCursorDeleter {
  void operator()(TSQueryCursor* c) const { ts_query_cursor_delete(c); }
};

using ParserHandle = std::unique_ptr<TSParser, ParserDeleter>;
using TreeHandle = std::unique_ptr<TSTree, TreeDeleter>;
using QueryHandle = std::unique_ptr<TSQuery, QueryDeleter>;
using QueryCursorHandle = std::unique_ptr<TSQueryCursor, QueryCursorDeleter>;

}  // namespace gapmap::lang
