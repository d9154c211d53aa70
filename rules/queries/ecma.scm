; Shared by javascript.scm, typescript.scm and tsx.scm (see their "; inherits: ecma" line):
; patterns whose node types exist in all three grammars.

(call_expression function: (_) @call.callee arguments: (_) @call.args) @call
(new_expression constructor: (_) @call.callee) @call.new

(variable_declarator name: (_) @binding.target value: (_) @binding.value) @binding
(assignment_expression left: (_) @binding.target right: (_) @binding.value) @binding
(for_in_statement left: (_) @binding.target right: (_) @binding.value) @binding.loop

(import_statement) @import
(export_statement value: (_) @binding.value) @binding.export

(function_declaration name: (identifier) @function.name) @function
(generator_function_declaration name: (identifier) @function.name) @function
(method_definition name: (_) @function.name) @function
(function_expression) @function
(arrow_function) @function

(class_declaration name: (_) @class.name) @class

(return_statement (_) @return.value) @return

(try_statement body: (statement_block) @try.body) @try

(if_statement condition: (_) @cond.test consequence: (_) @cond.body) @cond
(while_statement condition: (_) @cond.test body: (_) @cond.body) @cond
(ternary_expression condition: (_) @cond.test) @cond

(for_statement) @loop
(for_in_statement) @loop
(while_statement condition: (_) @loop.cond) @loop
(do_statement condition: (_) @loop.cond) @loop

(throw_statement) @raise

(comment) @comment
