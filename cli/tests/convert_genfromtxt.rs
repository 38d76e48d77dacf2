//! `npyio convert --genfromtxt`: a table with missing values (`NA`)
//! converted as `np.genfromtxt` reads it, compared with NumPy's result.

use npyio_test_support::*;

fn read(p: impl AsRef<std::path::Path>) -> Vec<u8> {
    std::fs::read(p.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", p.as_ref().display()))
}

#[test]
fn a_csv_with_na_converts_as_np_genfromtxt() {
    let d = scratch("convert_genfromtxt");
    std::fs::write(
        d.join("na.csv"),
        "# sensor readings\na,b,c\n1,NA,3.5\n4,5,\nNA,7,8.25\n",
    )
    .unwrap();
    for (out, extra, numpy) in [
        (
            "g1.npy",
            vec!["--skiprows", "2", "--missing-values", "NA"],
            "np.genfromtxt('na.csv', delimiter=',', skip_header=2, missing_values='NA')",
        ),
        (
            "g2.npy",
            vec!["--skiprows", "2", "--missing-values", "NA", "--filling-values", "-1", "--dtype", "int64", "--usecols", "0,1"],
            "np.genfromtxt('na.csv', delimiter=',', skip_header=2, missing_values='NA', filling_values=-1, dtype='int64', usecols=(0, 1))",
        ),
        (
            "g3.npy",
            vec!["--skiprows", "1", "--names", "--missing-values", "NA", "--filling-values", "0", "--dtype", "[('a','<i4'),('b','<f8'),('c','<f4')]"],
            "np.genfromtxt('na.csv', delimiter=',', skip_header=1, names=True, missing_values='NA', filling_values=0, dtype=[('a','<i4'),('b','<f8'),('c','<f4')])",
        ),
    ] {
        let mut args = vec!["convert", "--genfromtxt", "na.csv", out];
        args.extend(&extra);
        npyio_ok(&d, &args, 0);
        py(&d, &format!("import numpy as np\nnp.save('want.npy', {numpy})"));
        assert!(read(d.join(out)) == read(d.join("want.npy")), "{args:?} differs from {numpy}");
    }
    // Into an archive member.
    npyio_ok(
        &d,
        &[
            "convert",
            "--genfromtxt",
            "--skiprows",
            "2",
            "--missing-values",
            "NA",
            "na.csv",
            "na.npz:t",
        ],
        0,
    );
    py(
        &d,
        "import numpy as np\nz = np.load('na.npz')\nassert z.files == ['t']\nw = np.genfromtxt('na.csv', delimiter=',', skip_header=2, missing_values='NA')\nassert np.array_equal(z['t'], w, equal_nan=True)",
    );
    // loadtxt mode refuses the same table, naming the file.
    let o = npyio(&d, &["convert", "--skiprows", "2", "na.csv", "x.npy"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("na.csv") && stderr(&o).contains("NA"),
        "{}",
        stderr(&o)
    );
    // genfromtxt options without --genfromtxt are a usage error (exit 2).
    let o = npyio(
        &d,
        &["convert", "--missing-values", "NA", "na.csv", "x.npy"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--genfromtxt"), "{}", stderr(&o));
    // Reading an array with --genfromtxt is a usage error too.
    py(&d, "import numpy as np\nnp.save('a.npy', np.arange(3.0))");
    let o = npyio(&d, &["convert", "--genfromtxt", "a.npy", "b.npy"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--genfromtxt applies"),
        "{}",
        stderr(&o)
    );
}
