//! The region tree is stored whole, replaced whole, and read back in its own row order.

use crate::support::{TestDb, on_both_backends, region};
use minsheng_model::{Region, RegionTable};

on_both_backends!(regions_replace_and_read_back_in_table_order);

fn table(rows: &[(&str, &str, Option<&str>)]) -> RegionTable {
    RegionTable::new(
        rows.iter()
            .map(|(code, name, parent)| Region {
                code: region(code),
                level: region(code).level(),
                name: (*name).to_owned(),
                parent: parent.map(region),
            })
            .collect(),
    )
    .unwrap()
}

fn rows(t: &RegionTable) -> Vec<Region> {
    t.iter().cloned().collect()
}

fn regions_replace_and_read_back_in_table_order(db: &TestDb) {
    let mut store = db.open();
    assert!(store.regions().unwrap().is_empty());

    // Not in code order: counties before the townships of the first county, as the
    // built-in 绵阳 file is; children must come back in this order.
    let first = table(&[
        ("510000000000", "四川省", None),
        ("510700000000", "绵阳市", Some("510000000000")),
        ("510704000000", "游仙区", Some("510700000000")),
        ("510703000000", "涪城区", Some("510700000000")),
        ("510703002000", "工区街道", Some("510703000000")),
        ("510703001000", "城厢街道", Some("510703000000")),
        ("510703001001", "东街社区\t(测试)", Some("510703001000")),
    ]);
    store.replace_regions(&first).unwrap();
    let back = store.regions().unwrap();
    assert_eq!(rows(&back), rows(&first));
    let children: Vec<&str> = back
        .children(region("510700000000"))
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(children, ["游仙区", "涪城区"]);
    assert_eq!(
        back.path_name(region("510703001001")),
        "四川省 绵阳市 涪城区 城厢街道 东街社区\t(测试)"
    );
    assert_eq!(store.counts().unwrap().regions, 7);

    let second = table(&[
        ("510000000000", "四川省", None),
        ("510100000000", "成都市", Some("510000000000")),
    ]);
    store.replace_regions(&second).unwrap();
    assert_eq!(rows(&store.regions().unwrap()), rows(&second));
    assert_eq!(db.open().counts().unwrap().regions, 2);

    // A stored row whose parent is gone is reported, not silently dropped.
    db.exec("DELETE FROM regions WHERE code = '510000000000'");
    let err = store.regions().unwrap_err();
    assert_eq!(
        err.to_string(),
        "stored value not readable: table regions, key 510100000000, column parent_code, value \"510000000000\""
    );
}
