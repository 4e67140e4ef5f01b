package io.elanus.expr;

import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.segment.Chunk;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Expressions over {@link Dataset} with their expected matching ids ("-" for none) or an expected
 * error fragment ("ERR fragment"), written from Milvus's documented filter behaviour. Null rows:
 * age 3,7; name 3; flag 7; meta 3; tags 3,10; nums 4.
 */
class ExpressionTableTest {

    static final String CASES = """
            age == 30 => 2,11
            age != 30 => 0,1,4,5,6,8,9,10
            age < 20 => 0,10
            age <= 20 => 0,1,10
            age > 40 => 5,9
            age >= 40 => 4,5,9
            30 == age => 2,11
            20 > age => 0,10
            age > 29.5 => 2,4,5,8,9,11
            age == 30.0 => 2,11
            age == 30.5 => -
            age != 30.5 => 0,1,2,4,5,6,8,9,10,11
            age < 0x14 => 0,10
            age == 036 => 2,11
            age == 0b11110 => 2,11
            age == 0X1E => 2,11
            age >= 1e1 => 0,1,2,4,5,6,8,9,10,11
            10 < age < 30 => 1,6,10
            10 <= age <= 30 => 0,1,2,6,10,11
            30 > age > 10 => 1,6,10
            30 >= age >= 10 => 0,1,2,6,10,11
            50 < age < 40 => -
            10.5 < age < 30.5 => 1,2,6,10,11
            age in [10, 30, 99] => 0,2,11
            age IN [10, 30, 99] => 0,2,11
            age not in [10, 30] => 1,4,5,6,8,9,10
            age NOT IN [10, 30] => 1,4,5,6,8,9,10
            age in [] => -
            age not in [] => 0,1,2,4,5,6,8,9,10,11
            age in [10, 10, 20,] => 0,1
            age is null => 3,7
            age IS NULL => 3,7
            age is not null => 0,1,2,4,5,6,8,9,10,11
            age IS NOT NULL => 0,1,2,4,5,6,8,9,10,11
            not (age > 20) => 0,1,10
            !(age > 20) => 0,1,10
            NOT age > 20 => 0,1,10
            not not age > 20 => 2,4,5,6,8,9,11
            age > 20 or age is null => 2,3,4,5,6,7,8,9,11
            not (age > 20 or age < 20) => 1
            not (age > 20 and score > 100) => 0,1,2,3,4,5,6,7,8,9,10,11
            age > 20 or score > 7 => 2,4,5,6,7,8,9,11
            not (age > 20 or score > 7) => 0,1,10
            age > 20 and score > 3 => 6,9,11
            age > 20 && score > 3 => 6,9,11
            age > 20 AND score > 3 => 6,9,11
            age < 15 or score < 0 => 0,4,10
            age < 15 || score < 0 => 0,4,10
            age < 15 OR score < 0 => 0,4,10
            (age < 15 or age > 50) and flag == true => 0,9
            ((age < 15)) => 0
            age > 10 and age < 40 and score > 2 => 1,2,6,8,11
            age < 15 or age > 50 or score == 7.25 => 0,7,9
            age + 5 == 35 => 2,11
            age - 5 < 10 => 0
            age * 2 >= 100 => 5,9
            age / 10 == 3 => 2,8,11
            age % 20 == 0 => 1,4,9
            age ** 2 > 1600 => 5,9
            age % 2 == 1 => 6,8,10
            -age < -40 => 5,9
            2 * age == 60 => 2,11
            5 + age == 35 => 2,11
            age + 1.5 > 31 => 2,4,5,8,9,11
            age > 10 + 20 => 4,5,8,9
            age == 2 ** 5 - 2 => 2,11
            age == (3 + 3) * 5 => 2,11
            age == -(-30) => 2,11
            age > 20 - - 10 => 4,5,8,9
            age * 2 != 60 => 0,1,4,5,6,8,9,10
            age / 0 == 1 => ERR divide by zero
            age % 0 == 1 => ERR divide by zero
            small < 0 => 1,3,5,7,9
            small == 127 => 11
            small >= -4 and small <= 3 => 0,1,2,3
            small in [1, 3, 5] => 0,2,4
            -4 <= small <= 3 => 0,1,2,3
            small > 1000 => -
            id in [1, 5, 7] => 1,5,7
            id == 3 => 3
            id < 3 => 0,1,2
            id >= 10 => 10,11
            id not in [0, 1, 2, 3, 4, 5] => 6,7,8,9,10,11
            score > 3 => 3,6,7,9,11
            score == 3 => 2,8
            score == 3.0 => 2,8
            score <= 0 => 4,5,10
            score != 3 => 0,1,3,4,5,6,7,9,10,11
            -2.5 <= score < 1.5 => 4,5,10
            score in [1.5, 3, 99.0] => 0,2,8
            score not in [3.0] => 0,1,3,4,5,6,7,9,10,11
            score > .5 => 0,1,2,3,6,7,8,9,11
            score < 2.5e0 => 0,4,5,10
            score < 25E-1 => 0,4,5,10
            score * 2 > 10 => 6,7,9
            score + 1 == 4 => 2,8
            score - 0.5 == 1 => 0
            score / 2 == 1.5 => 2,8
            score ** 2 == 100 => 6
            score is null => -
            score is not null => 0,1,2,3,4,5,6,7,8,9,10,11
            score > 0x1.8p1 => 3,6,7,9,11
            ratio == 0.1 => 0,5
            ratio == 0.3 => 2,11
            ratio > 0.5 => 4,7,8,9
            ratio >= 0.5 => 3,4,7,8,9
            ratio in [0.1, 0.25] => 0,5,6
            0.2 <= ratio <= 0.3 => 1,2,6,11
            ratio < 1 => 0,1,2,3,5,6,7,8,9,10,11
            name == "bob" => 1
            name == 'bob' => 1
            name != "bob" => 0,2,4,5,6,7,8,9,10,11
            name > "c" => 2,4,5,7,9,11
            name < "b" => 0,6,10
            "b" <= name < "c" => 1,8
            "c" > name >= "b" => 1,8
            name in ["alice", "eve", "nobody"] => 0,5
            name in ['alice', "eve"] => 0,5
            name not in ["alice", "eve"] => 1,2,4,6,7,8,9,10,11
            name like "b%" => 1,8
            name LIKE "%e" => 0,4,5,6
            name like "%ar%" => 2,9
            name like "car_" => 9
            name like "_ob%" => 1,8
            name like "alice" => 0
            name like "%" => 0,1,2,4,5,6,7,8,9,10,11
            name like "" => 10
            name like "zed_x_" => 11
            name like "zed\\\\_x\\\\%" => 11
            name like "A%" => 6
            name like "%l%e%" => 0,6
            name like "%c%r%" => 2,9
            name like "_" => -
            name like "%%%" => 0,1,2,4,5,6,7,8,9,10,11
            not (name like "b%") => 0,2,4,5,6,7,9,10,11
            name == "" => 10
            name is null => 3
            name is not null => 0,1,2,4,5,6,7,8,9,10,11
            name == "a\\"b" => -
            name == "\\x62ob" => 1
            name == "\\u0062ob" => 1
            name == "\\142ob" => 1
            name == 'b\\'x' => -
            name > 5 => ERR comparisons between VarChar and Int64
            name like 5 => ERR pattern of like must be a string
            name + 1 == 2 => ERR can only be used between integer or floating or json
            flag == true => 0,2,4,6,9,11
            flag == True => 0,2,4,6,9,11
            flag == TRUE => 0,2,4,6,9,11
            flag != true => 1,3,5,8,10
            flag == false => 1,3,5,8,10
            flag == False => 1,3,5,8,10
            flag => 0,2,4,6,9,11
            not flag => 1,3,5,8,10
            flag and age > 30 => 4,9
            flag in [true] => 0,2,4,6,9,11
            flag not in [true] => 1,3,5,8,10
            flag in [true, false] => 0,1,2,3,4,5,6,8,9,10,11
            flag is null => 7
            flag == flag => 0,1,2,3,4,5,6,8,9,10,11
            flag > true => ERR not supported on Bool
            flag == 1 => ERR comparisons between Bool and Int64
            meta["a"] == 1 => 0,6
            meta['a'] == 1 => 0,6
            meta["a"] > 2 => 1,4,9,11
            meta["a"] < 2 => 0,6,7
            meta["a"] != 1 => 1,2,4,5,7,8,9,10,11
            meta["a"] == "3" => 2
            meta["a"] == true => 10
            meta["a"] == 2.5 => 1
            meta["a"] in [1, "3", 100] => 0,2,6,9
            meta["a"] not in [1] => 1,2,4,5,7,8,9,10,11
            meta["b"] == "x" => 0,2
            meta["b"] like "x%" => 0,2,9
            meta["b"] like "%abc" => 11
            meta["b"] like "%_%" => 0,1,2,5,9,11
            meta["b"] is null => 3,4,6,7,8,10
            meta["b"] is not null => 0,1,2,5,9,11
            exists meta["b"] => 0,1,2,4,5,9,11
            EXISTS meta["o"]["k"] => 0,7
            not exists meta["a"] => 5,8
            meta["o"]["k"] == "w" => 7
            meta["o"]["n"][1] == 2 => 7
            meta["arr"][0] == 1 => 0,4,6
            meta["arr"][1] > 2 => 1
            meta["arr"][1] == [2, 3] => 4
            meta["arr"] == [1, 2, 3] => 0
            meta["arr"] == [1.0, 2, 3] => 0
            meta["arr"] != [1, 2, 3] => 1,2,4,5,6,7,8,9,10,11
            meta["arr"] == [] => 2
            json_contains(meta["arr"], 1) => 0,4,6
            JSON_CONTAINS(meta["arr"], 2) => 0,6
            json_contains(meta["arr"], [2, 3]) => 4
            json_contains(meta["tags"], "red") => 1
            json_contains_all(meta["arr"], [1, 2]) => 0,6
            JSON_CONTAINS_ALL(meta["arr"], [1, 2, 3, 4]) => 6
            json_contains_any(meta["arr"], [5, "s"]) => 1,11
            JSON_CONTAINS_ANY(meta["tags"], ["green", "blue"]) => 1,7
            json_contains_any(meta["arr"], []) => -
            json_contains(meta["arr"], 3.5) => 11
            json_contains(meta["arr"], 3.0) => 0,6
            json_contains(meta, 1) => -
            not json_contains(meta["arr"], 1) => 1,2,5,7,8,9,10,11
            array_length(meta["arr"]) == 2 => 1,4,11
            array_length(meta["arr"]) > 2 => 0,6
            array_length(meta["arr"]) == 0 => 2
            array_length(meta) == 0 => 8
            meta["a"] + 1 == 2 => 0,6
            meta["a"] * 2 > 10 => 9
            meta["a"] % 2 == 1 => 0,4,6,11
            meta["a"] - 1 < 0 => 7
            meta["a"] ** 2 == 1 => 0,6,7
            1 <= meta["a"] < 5 => 0,1,6,11
            meta["a"] > "2" => 2
            meta["flag"] => 6
            meta["missing"] == 1 => -
            meta["missing"] != 1 => 0,1,2,4,5,6,7,8,9,10,11
            meta is null => 3
            meta is not null => 0,1,2,4,5,6,7,8,9,10,11
            not (meta["a"] > 2) => 0,2,5,6,7,8,10
            meta["a"] > 2 or meta is null => 1,3,4,9,11
            meta[0] == 1 => -
            meta["a"] > true => ERR not supported on Bool
            meta["arr"] > [1] => ERR comparisons between JSON and Array
            color == "red" => 0,5,8
            $meta["color"] == "red" => 0,5,8
            color in ["red", "blue"] => 0,1,5,8,10
            color like "r%" => 0,5,8
            color like "R%" => 6
            color != "red" => 1,2,3,4,6,7,9,10,11
            size > 4 => 5,7,8,10
            size >= 4 and size < 8 => 3,5,7
            4 <= size < 8 => 3,5,7
            exists color => 0,1,2,5,6,8,10,11
            exists $meta["size"] => 0,1,3,5,7,8,10
            color is null => 3,4,7,9,11
            color is not null => 0,1,2,5,6,8,10
            size % 2 == 0 => 1,3,8,10
            size * 2 == 11 => 5
            color == "red" and age > 20 => 5,8
            unknown_key == 1 => -
            json_contains(color, "r") => -
            $meta[0] == 1 => ERR first key of the dynamic field
            array_contains(tags, "a") => 0,4,6,8
            ARRAY_CONTAINS(tags, "a") => 0,4,6,8
            array_contains_all(tags, ["a", "b"]) => 0,8
            ARRAY_CONTAINS_ALL(tags, ["c"]) => 4,7,8
            array_contains_any(tags, ["c", "x"]) => 4,5,7,8
            ARRAY_CONTAINS_ANY(tags, ["e"]) => 11
            array_contains_any(tags, []) => -
            not array_contains(tags, "a") => 1,2,5,7,9,11
            array_length(tags) == 0 => 2
            array_length(tags) >= 2 => 0,4,7,8
            ARRAY_LENGTH(nums) == 4 => 7
            array_length(nums) * 2 == 4 => 3,6,10
            tags[0] == "a" => 0,6,8
            tags[1] == "b" => 0,8
            tags[0] like "b%" => 1,7
            tags[0] in ["x", "d"] => 5,9
            tags[0] not in ["a"] => 1,2,4,5,7,9,11
            tags[2] != "c" => 0,1,2,4,5,6,7,9,11
            tags[2] == "c" => 8
            nums[0] > 1 => 1,3,6,7,8,10
            nums[0] == 1 => 0,5
            nums[1] < 3 => 0,6,10
            nums[0] + 1 == 2 => 0,5
            1 < nums[0] <= 5 => 1,3,6,10
            nums[0] in [0, 7] => 8,9
            array_contains(nums, 2) => 0,6
            array_contains(nums, 2.0) => ERR cannot be casted to Int64
            array_contains_all(nums, [1, 3]) => 0,10
            array_contains_any(nums, [5, 7, 100]) => 3,8
            tags is null => 3,10
            nums is not null => 0,1,2,3,5,6,7,8,9,10,11
            array_contains(nums, "a") => ERR cannot be casted to Int64
            array_contains(age, 1) => ERR only supported on json or array fields
            tags == ["a"] => ERR whole Array field
            tags in ["a"] => ERR whole Array field
            tags[0] == 1 => ERR comparisons between VarChar and Int64
            tags[0] is null => ERR array element
            array_length(age) == 1 => ERR only supported on json or array fields
            nums[0][1] == 1 => ERR exactly one integer index
            nums["a"] == 1 => ERR exactly one integer index
            age[0] == 1 => ERR not a json or array field
            true => 0,1,2,3,4,5,6,7,8,9,10,11
            false => -
            TRUE and age < 15 => 0
            not false => 0,1,2,3,4,5,6,7,8,9,10,11
            age > score => 0,1,2,4,5,6,8,9,10,11
            score < age => 0,1,2,4,5,6,8,9,10,11
            age == score => -
            name == name => 0,1,2,4,5,6,7,8,9,10,11
            small < age => 0,1,2,4,5,6,8,9,10
            age > 1 and small > 200 => -
            age > => ERR cannot parse expression
            age > > 1 => ERR extraneous input
            (age > 1 => ERR cannot parse expression
            age == "a" => ERR comparisons between Int64 and VarChar
            age in [1, "a"] => ERR cannot be casted to Int64
            age in [1.5] => ERR cannot be casted to Int64
            age in 5 => ERR must be an array
            score in ["x"] => ERR cannot be casted to Double
            name in [1] => ERR cannot be casted to VarChar
            age like "1%" => ERR like operation on non-string
            age > 1 < 2 => ERR invalid range expression
            1 < 2 => ERR two constants
            name == age => ERR comparisons between VarChar and Int64
            age + score > 1 => ERR two fields
            1 - age > 0 => ERR constant on the left
            1 < age < score => ERR constant bounds
            flag == true == false => ERR invalid range expression
            random_sample(0.5) or age > 1 => ERR random_sample can only be used
            not random_sample(0.5) => ERR random_sample can only be used
            random_sample(1.5) => ERR sample factor
            random_sample(0) => ERR sample factor
            random_sample(1) => ERR sample factor
            age > 1 and random_sample(0.3) and random_sample(0.3) => ERR only be used once
            foo(age) => ERR function foo is not supported
            Json_Contains(meta, 1) => ERR function Json_Contains is not supported
            json_contains(age, 1) => ERR only supported on json or array fields
            json_contains_all(meta["arr"], 1) => ERR element must be an array
            array_contains(tags) => ERR takes 2 arguments
            exists age => ERR exists operations are only supported
            exists meta => ERR exists operations are only supported
            "abc" => ERR not a boolean expression
            age => ERR not a boolean expression
            age + 1 => ERR not a boolean expression
            [1, 2] => ERR not a boolean expression
            age == 99999999999999999999 => ERR out of the int64 range
            name == "unterminated => ERR cannot parse expression
            age in [age] => ERR must be constants
            vec == 1 => ERR vector field
            vec is null => ERR vector field
            age == {missing} => ERR template variable name {missing} is not found
            age > 1 AnD age < 5 => ERR cannot parse expression
            age Is Null => 3,7
            meta["a"] > 1 in [1] => ERR cannot parse expression
            & => ERR cannot parse expression
            """;

    record Case(String expr, List<Integer> ids, String error) {
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (String line : CASES.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int sep = line.lastIndexOf(" => ");
            String expr = line.substring(0, sep).strip();
            String expected = line.substring(sep + 4).strip();
            if (expected.startsWith("ERR ")) {
                out.add(new Case(expr, null, expected.substring(4)));
            } else if (expected.equals("-")) {
                out.add(new Case(expr, List.of(), null));
            } else {
                List<Integer> ids = new ArrayList<>();
                for (String id : expected.split(",")) {
                    ids.add(Integer.parseInt(id.strip()));
                }
                out.add(new Case(expr, ids, null));
            }
        }
        return out;
    }

    @TestFactory
    List<DynamicTest> expressions() {
        Chunk chunk = Dataset.chunk();
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases()) {
            tests.add(DynamicTest.dynamicTest(c.expr(), () -> {
                if (c.error() != null) {
                    MilvusException e = assertThrows(MilvusException.class,
                            () -> FilterCompiler.compile(c.expr(), Dataset.SCHEMA, Map.of()));
                    assertEquals(MilvusError.PARAMETER_INVALID, e.kind());
                    assertTrue(e.getMessage().startsWith("cannot parse expression: " + c.expr() + ", error: "),
                            e.getMessage());
                    assertTrue(e.getMessage().contains(c.error()), e.getMessage());
                } else {
                    BitSet rows = FilterCompiler.compile(c.expr(), Dataset.SCHEMA, Map.of()).evaluate(chunk);
                    assertEquals(c.ids(), rows.stream().boxed().toList(), c.expr());
                }
            }));
        }
        return tests;
    }
}
