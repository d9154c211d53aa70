; Extraction query for Go (tree-sitter-go), in gapmap's language-neutral capture vocabulary (see
; python.scm). Go has no exceptions: `x, err := call()` followed by `if err != nil { ... }` is
; the handler around the call, and returning an error is how it propagates. #eq?/#any-of? are
; applied to capture text.

(call_expression function: (_) @call.callee arguments: (_) @call.args) @call

(short_var_declaration left: (_) @binding.target right: (_) @binding.value) @binding
(assignment_statement left: (_) @binding.target right: (_) @binding.value) @binding
(var_spec name: (_) @binding.target value: (_) @binding.value) @binding
(var_spec name: (_) @binding.target type: (_) @binding.value !value) @binding
(const_spec name: (_) @binding.target value: (_) @binding.value) @binding
(for_statement (range_clause left: (_) @binding.target right: (_) @binding.value)) @binding.loop
; Struct fields typed as clients, and fields set by a composite literal (`&Service{client: c}`):
; both are attributes of the struct, like self.x in Python.
(field_declaration name: (_) @binding.target type: (_) @binding.value) @binding.field
; An embedded field (`type Client struct { *api.Client }`) promotes its type's methods.
(field_declaration !name type: (_) @binding.target @binding.value) @binding.field
(composite_literal type: (type_identifier) @binding.target body: (literal_value) @binding.value) @binding.field

(import_declaration) @import

(function_declaration name: (identifier) @function.name) @function
(method_declaration name: (field_identifier) @function.name) @function
(func_literal) @function

(type_spec name: (type_identifier) @class.name type: (struct_type)) @class

(return_statement (expression_list) @return.value) @return

; x, err := call() / err = call() then `if err != nil { handler }`, and `if err := call(); err != nil`.
((statement_list
   [(short_var_declaration) (assignment_statement)] @try.body
   .
   (if_statement
     condition: (binary_expression left: (identifier) @_err operator: "!=" right: (nil))) @try)
 (#any-of? @_err "err" "e" "error" "rerr"))
((if_statement
   initializer: (_) @try.body
   condition: (binary_expression left: (identifier) @_err operator: "!=" right: (nil))) @try
 (#any-of? @_err "err" "e" "error" "rerr"))

(if_statement condition: (_) @cond.test consequence: (_) @cond.body) @cond
(expression_switch_statement value: (_) @cond.test) @cond

(for_statement body: (block)) @loop
(for_statement (for_clause) @loop.cond) @loop
(for_statement (range_clause) @loop.cond) @loop
(for_statement [(binary_expression) (unary_expression) (identifier) (call_expression) (selector_expression)] @loop.cond) @loop

((call_expression function: (identifier) @_panic) @raise (#eq? @_panic "panic"))
((call_expression function: (selector_expression field: (field_identifier) @_fatal)) @raise
 (#any-of? @_fatal "Fatal" "Fatalf" "Fatalln" "Panic" "Panicf"))
; Returning the error (or a new one) hands the failure to the caller.
((return_statement (expression_list (identifier) @_err .)) @raise (#any-of? @_err "err" "e" "error"))
((return_statement
   (expression_list
     (call_expression function: (selector_expression field: (field_identifier) @_new)) .)) @raise
 (#any-of? @_new "Errorf" "New" "Wrap" "Wrapf" "WithStack" "Join"))

(comment) @comment
