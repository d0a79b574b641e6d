package dev.lethe.ledger.executor.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class TestPostgresTest {

    @Test
    void shouldStartARealPostgresEvenAsRoot() throws Exception {
        try (TestPostgres pg = TestPostgres.start(); Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("create table t (id int primary key)");
            s.execute("insert into t values (1), (2)");
            try (ResultSet rs = s.executeQuery("select count(*) from t")) {
                rs.next();
                assertEquals(2, rs.getInt(1));
            }
        }
    }
}
