; Extraction query for Rust (tree-sitter-rust), in gapmap's language-neutral capture vocabulary (see
; python.scm). Rust has no exceptions: a `match` with an Err arm, `if let Err`, `let .. else` and
; `.or_else(..)`/`.unwrap_or_else(..)` are the handlers around a call, and `?`, `return Err(..)`
; and `bail!` hand the failure to the caller. #eq?/#any-of? are applied to capture text.

(call_expression function: (_) @call.callee arguments: (_) @call.args) @call

(let_declaration pattern: (_) @binding.target value: (_) @binding.value) @binding
(let_declaration pattern: (_) @binding.target type: (_) @binding.value !value) @binding
(assignment_expression left: (_) @binding.target right: (_) @binding.value) @binding
(const_item name: (_) @binding.target value: (_) @binding.value) @binding
(static_item name: (_) @binding.target value: (_) @binding.value) @binding
(let_condition pattern: (_) @binding.target value: (_) @binding.value) @binding
; match call().await { Ok(response) => .., Err(e) => .. }: the Ok arm's name holds the result.
(match_expression
  value: (_) @binding.value
  body: (match_block (match_arm pattern: (match_pattern (tuple_struct_pattern) @binding.target)))) @binding
(for_expression pattern: (_) @binding.target value: (_) @binding.value) @binding.loop
; Struct fields typed as clients, and fields set by a struct expression (`Self { client, .. }`):
; both are attributes of the type, like self.x in Python.
(field_declaration name: (_) @binding.target type: (_) @binding.value) @binding.field
(struct_expression name: (_) @binding.target body: (field_initializer_list) @binding.value) @binding.field

(use_declaration) @import
(mod_item name: (identifier) !body) @import
; Crate roots used in paths without a `use` (reqwest::Client::new()).
(scoped_identifier path: (identifier)) @import
(scoped_type_identifier path: (identifier)) @import

(function_item name: (identifier) @function.name) @function
(closure_expression) @function

(struct_item name: (type_identifier) @class.name) @class

; The tail expression of a function body is its value; `return x` too.
(function_item body: (block (_) @return.value .) @return)
(closure_expression body: (block (_) @return.value .) @return)
(return_expression (_) @return.value) @return

; match call() { Ok(r) => .., Err(e) => handler }
((match_expression
   value: (_) @try.body
   body: (match_block (match_arm pattern: (match_pattern (tuple_struct_pattern type: (identifier) @_err))))) @try
 (#eq? @_err "Err"))
; let r = call().await; match r { .. Err(e) => handler } / if let Err(e) = r { handler }
((let_declaration) @try.body
 .
 (expression_statement
   (match_expression
     body: (match_block (match_arm pattern: (match_pattern (tuple_struct_pattern type: (identifier) @_err)))))) @try
 (#eq? @_err "Err"))
((let_declaration) @try.body
 .
 (match_expression
   body: (match_block (match_arm pattern: (match_pattern (tuple_struct_pattern type: (identifier) @_err))))) @try
 (#eq? @_err "Err"))
; if let Err(e) = call() { handler } / if let Ok(r) = call() { .. } else { handler }
((if_expression
   condition: (let_condition pattern: (tuple_struct_pattern type: (identifier) @_res) value: (_) @try.body)) @try
 (#any-of? @_res "Err" "Ok"))
; let Ok(r) = call().await else { handler };
((let_declaration pattern: (tuple_struct_pattern type: (identifier) @_ok) value: (_) @try.body alternative: (block)) @try
 (#any-of? @_ok "Ok" "Some"))
; call().or_else(|e| ..) / .unwrap_or_else(|_| ..) / .unwrap_or(default)
((call_expression
   function: (field_expression value: (_) @try.body field: (field_identifier) @_h)) @try
 (#any-of? @_h "or_else" "unwrap_or_else" "unwrap_or" "unwrap_or_default" "or"))

(if_expression condition: (_) @cond.test consequence: (_) @cond.body) @cond
(match_expression value: (_) @cond.test) @cond
(while_expression condition: (_) @cond.test body: (_) @cond.body) @cond

(loop_expression) @loop.forever
(while_expression condition: (_) @loop.cond) @loop
(for_expression value: (_) @loop.cond) @loop

; Returning the error, or a new one, hands the failure to the caller.
((return_expression (call_expression function: (identifier) @_err)) @raise (#eq? @_err "Err"))
((match_arm
   pattern: (match_pattern (tuple_struct_pattern type: (identifier) @_p))
   value: (call_expression function: (identifier) @_err) @raise)
 (#eq? @_p "Err") (#eq? @_err "Err"))
((macro_invocation macro: (identifier) @_m) @raise
 (#any-of? @_m "panic" "bail" "unreachable" "unimplemented" "todo"))
((macro_invocation macro: (scoped_identifier name: (identifier) @_m)) @raise (#any-of? @_m "bail" "panic"))

(line_comment) @comment
(block_comment) @comment
