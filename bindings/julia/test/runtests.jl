# Tests of the NpyIO module for machines with Julia (CI has none: there only
# check_signatures.py runs). Run from bindings/julia with libnpyio on the loader path:
#
#   NPYIO_LIBRARY=/opt/npyio/lib/libnpyio.so julia --project -e 'using Pkg; Pkg.test()'
#
# With NPYIO_PYTHON set to a Python with numpy, files are also checked against NumPy.
using Test
using NpyIO

const L = NpyIO.LibNpyIO

@testset "NpyIO" begin
    dir = mktempdir()
    p(name) = joinpath(dir, name)

    @testset "round trips" begin
        for T in (Bool, Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64,
                  Float16, Float32, Float64, ComplexF32, ComplexF64)
            A = T === Bool ? rand(Bool, 3, 4) : rand(T, 3, 4)
            save(p("a.npy"), A)                     # Fortran order: same shape
            @test load(p("a.npy")) == A
            @test eltype(load(p("a.npy"))) === T
            save(p("c.npy"), A; order=:C)           # C order, dims reversed on disk
            @test load(p("c.npy")) == A
        end
        save(p("0d.npy"), 2.5)
        @test load(p("0d.npy"))[] == 2.5
        @test ndims(load(p("0d.npy"))) == 0
        save(p("empty.npy"), zeros(Int32, 0, 3))
        @test size(load(p("empty.npy"))) == (0, 3)
        save(p("bits.npy"), trues(5))               # a BitVector is copied to Bools
        @test load(p("bits.npy")) == trues(5)
        save(p("view.npy"), view(collect(1:10), 2:2:10))
        @test load(p("view.npy")) == [2, 4, 6, 8, 10]
    end

    @testset "errors" begin
        err = try
            load(p("missing.npy"))
        catch e
            e
        end
        @test err isa NpyIOError
        @test err.code == L.NPYIO_ERR_IO
        @test occursin("missing.npy", err.msg)
        write(p("junk.npy"), "not a numpy file")
        @test_throws NpyIOError load(p("junk.npy"))
        @test_throws ArgumentError save(p("x.npy"), [1.0]; order=:Z)
        @test NpyIO.descr(Float64) == (ENDIAN_BOM == 0x04030201 ? "<f8" : ">f8")
        @test NpyIO.descr(Bool) == "|b1"
        @test !isempty(NpyIO.version())
    end

    @testset "npz" begin
        npzwrite(p("a.npz"), Dict("x" => [1.0 2.0; 3.0 4.0], "y" => Int16[1, 2, 3]))
        d = npzread(p("a.npz"))
        @test sort(collect(keys(d))) == ["x", "y"]
        @test d["x"] == [1.0 2.0; 3.0 4.0]
        @test d["y"] == Int16[1, 2, 3]
        npzwrite(p("c.npz"), "z" => zeros(UInt8, 1000); compress=true)
        @test npzread(p("c.npz"))["z"] == zeros(UInt8, 1000)
        @test filesize(p("c.npz")) < 1000
        @test_throws ArgumentError npzwrite(p("bad.npz"), "s" => ["strings"])
        @test !isfile(p("bad.npz"))
    end

    @testset "mmap" begin
        A = reshape(collect(1.0:12.0), 3, 4)
        save(p("m.npy"), A)
        M = NpyIO.mmap(p("m.npy"))
        @test M == A
        W = NpyIO.mmap(p("m.npy"); mode="r+")
        W[2, 3] = -1.0
        W = nothing
        GC.gc()
        @test load(p("m.npy"))[2, 3] == -1.0
        C = NpyIO.mmap(p("m.npy"); mode="c")
        C[1, 1] = 99.0
        @test load(p("m.npy"))[1, 1] == 1.0
    end

    @testset "text" begin
        A = [1.0 2.5 3.0; -4.0 5.0 6.25]
        savetxt(p("t.csv"), A; delimiter=",", header="a,b,c")
        @test startswith(read(p("t.csv"), String), "# a,b,c\n1.000000000000000000e+00,")
        @test loadtxt(p("t.csv"); delimiter=",") == A          # one row per line
        @test loadtxt(p("t.csv"); delimiter=",", usecols=[2]) == [3.0, 6.25]
        write(p("i.txt"), "1 2\n3 4\n")
        @test loadtxt(p("i.txt"); dtype=Int32) == Int32[1 2; 3 4]
        write(p("bad.txt"), "1 2\n3 x\n")
        err = try
            loadtxt(p("bad.txt"))
        catch e
            e
        end
        @test err isa NpyIOError && err.code == L.NPYIO_ERR_PARSE
        @test occursin("line 2", err.msg)
        savetxt(p("v.txt"), Int64[7, 8]; fmt="%d")
        @test read(p("v.txt"), String) == "7\n8\n"
    end

    py = get(ENV, "NPYIO_PYTHON", "")
    if !isempty(py)
        @testset "NumPy" begin
            script = """
            import numpy as np, sys
            d = sys.argv[1]
            np.save(d + "/np_c.npy", np.arange(12, dtype=">i4").reshape(3, 4))
            np.save(d + "/np_f.npy", np.asfortranarray(np.arange(12.0).reshape(3, 4)))
            a = np.load(d + "/jl.npy")
            assert a.shape == (2, 3) and a[1, 2] == 6.0, a
            """
            save(p("jl.npy"), [1.0 2.0 3.0; 4.0 5.0 6.0])
            run(`$py -c $script $dir`)
            c = load(p("np_c.npy"))         # C order: dims reversed
            @test size(c) == (4, 3)
            @test c[4, 3] == 11 && c[2, 1] == 1
            @test permutedims(c, (2, 1)) == reshape(Int32.(0:11), 4, 3)'
            f = load(p("np_f.npy"))         # Fortran order: NumPy's shape
            @test size(f) == (3, 4)
            @test f[2, 3] == 6.0
        end
    end
end
