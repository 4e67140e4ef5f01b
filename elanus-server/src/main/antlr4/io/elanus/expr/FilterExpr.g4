/*
 * Elanus's grammar for Milvus 2.6 boolean filter expressions. Written from Milvus's documented
 * behaviour; the layering (or > and > not > predicate > arithmetic > primary) gives the usual
 * precedence without left recursion. Types are checked afterwards by the analyzer.
 */
grammar FilterExpr;

filter : orExpr EOF ;

orExpr : andExpr (OR andExpr)* ;

andExpr : notExpr (AND notExpr)* ;

notExpr
    : NOT notExpr     # negation
    | predicate       # plainPredicate
    ;

predicate
    : additive IS_NOT_NULL                                      # isNotNull
    | additive IS_NULL                                          # isNull
    | additive NOT? IN additive                                 # membership
    | additive LIKE additive                                    # like
    | additive (comparator additive (comparator additive)?)?   # comparison
    ;

comparator : EQ | NE | LT | LE | GT | GE ;

additive : multiplicative (addOp multiplicative)* ;

addOp : PLUS | MINUS ;

multiplicative : power (mulOp power)* ;

mulOp : STAR | SLASH | PERCENT ;

power : unary (POW power)? ;

unary
    : (PLUS | MINUS) unary   # signed
    | primary                # unsigned
    ;

primary
    : LPAREN orExpr RPAREN                                   # parenthesized
    | INTEGER                                                # integerLiteral
    | FLOAT                                                  # floatLiteral
    | STRING                                                 # stringLiteral
    | BOOLEAN                                                # booleanLiteral
    | LBRACKET (orExpr (COMMA orExpr)* COMMA?)? RBRACKET     # arrayLiteral
    | LBRACE IDENTIFIER RBRACE                               # template
    | EXISTS path                                            # exists
    | IDENTIFIER LPAREN (orExpr (COMMA orExpr)*)? RPAREN     # call
    | path                                                   # fieldPath
    ;

path : IDENTIFIER (LBRACKET (STRING | INTEGER) RBRACKET)* ;

// Keywords in the spellings Milvus accepts: all lower case or all upper case ("&&" etc. too).
AND : 'and' | 'AND' | '&&' ;
OR : 'or' | 'OR' | '||' ;
NOT : 'not' | 'NOT' | '!' ;
IN : 'in' | 'IN' ;
LIKE : 'like' | 'LIKE' ;
EXISTS : 'exists' | 'EXISTS' ;
IS_NOT_NULL : I S WS+ N O T WS+ N U L L ;
IS_NULL : I S WS+ N U L L ;
BOOLEAN : 'true' | 'True' | 'TRUE' | 'false' | 'False' | 'FALSE' ;

EQ : '==' ;
NE : '!=' ;
LE : '<=' ;
GE : '>=' ;
LT : '<' ;
GT : '>' ;
POW : '**' ;
PLUS : '+' ;
MINUS : '-' ;
STAR : '*' ;
SLASH : '/' ;
PERCENT : '%' ;
LPAREN : '(' ;
RPAREN : ')' ;
LBRACKET : '[' ;
RBRACKET : ']' ;
LBRACE : '{' ;
RBRACE : '}' ;
COMMA : ',' ;

FLOAT
    : DECIMAL_DIGITS '.' DECIMAL_DIGITS? EXPONENT?
    | '.' DECIMAL_DIGITS EXPONENT?
    | DECIMAL_DIGITS EXPONENT
    | '0' [xX] HEX_DIGIT* ('.' HEX_DIGIT*)? [pP] [+-]? DECIMAL_DIGITS
    ;

INTEGER
    : '0' [xX] HEX_DIGIT+
    | '0' [bB] [01]+
    | '0' [0-7]*
    | [1-9] DECIMAL_DIGITS?
    ;

STRING
    : '"' (~["\\\r\n] | ESCAPE)* '"'
    | '\'' (~['\\\r\n] | ESCAPE)* '\''
    ;

IDENTIFIER : [a-zA-Z_] [a-zA-Z_0-9]* | '$meta' ;

WHITESPACE : WS+ -> skip ;

fragment WS : [ \t\r\n] ;
fragment DECIMAL_DIGITS : [0-9]+ ;
fragment EXPONENT : [eE] [+-]? DECIMAL_DIGITS ;
fragment HEX_DIGIT : [0-9a-fA-F] ;
fragment ESCAPE
    : '\\' ['"?\\abfnrtv]
    | '\\' [0-7] [0-7]? [0-7]?
    | '\\x' HEX_DIGIT+
    | '\\u' HEX_DIGIT HEX_DIGIT HEX_DIGIT HEX_DIGIT
    | '\\U' HEX_DIGIT HEX_DIGIT HEX_DIGIT HEX_DIGIT HEX_DIGIT HEX_DIGIT HEX_DIGIT HEX_DIGIT
    ;
fragment I : [iI] ;
fragment S : [sS] ;
fragment N : [nN] ;
fragment O : [oO] ;
fragment T : [tT] ;
fragment U : [uU] ;
fragment L : [lL] ;
