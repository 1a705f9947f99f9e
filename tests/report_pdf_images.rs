//! Key images and photos in the PDF. Also leaves the PDF and its pages as
//! PNG (60 dpi) under the cargo test temp dir, for a person to look at.

mod report_fixtures;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use remnant::report::{KeyImage, Photo, render_pdf};

fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// A synthetic axial CT slice: body, liver, tumour, and a green remnant /
/// red resection overlay on the liver.
fn ct_slice(width: u32, height: u32) -> KeyImage {
    let mut rgb = Vec::with_capacity((width * height * 3) as usize);
    let (w, h) = (width as f32, height as f32);
    for y in 0..height {
        for x in 0..width {
            let (u, v) = (
                (x as f32 - w / 2.0) / (w * 0.45),
                (y as f32 - h / 2.0) / (h * 0.38),
            );
            let body = u * u + v * v < 1.0;
            let (lu, lv) = (
                (x as f32 - w * 0.35) / (w * 0.2),
                (y as f32 - h * 0.45) / (h * 0.22),
            );
            let liver = lu * lu + lv * lv < 1.0;
            let (tu, tv) = (
                (x as f32 - w * 0.3) / (w * 0.05),
                (y as f32 - h * 0.42) / (h * 0.06),
            );
            let tumour = tu * tu + tv * tv < 1.0;
            let grey: u8 = match (body, liver, tumour) {
                (false, ..) => 0,
                (true, false, _) => 95,
                (true, true, false) => 150,
                (true, true, true) => 110,
            };
            let px = if liver && !tumour {
                // Overlay: left of the cut line resected (red), right remnant (green).
                if (x as f32) < w * 0.33 {
                    [grey.saturating_add(90), grey / 2, grey / 2]
                } else {
                    [grey / 2, grey.saturating_add(80), grey / 2]
                }
            } else {
                [grey; 3]
            };
            rgb.extend_from_slice(&px);
        }
    }
    KeyImage {
        caption: format!("Axial slice, {width} x {height}: remnant (green), resection (red)"),
        width,
        height,
        rgb,
        labels: Vec::new(),
    }
}

fn png_photo(path: &Path) {
    let (w, h) = (160u32, 120u32);
    let mut rgba = Vec::new();
    for y in 0..h {
        for x in 0..w {
            let a = if x < 20 { 0 } else { 255 };
            rgba.extend_from_slice(&[(x * 255 / w) as u8, 80, (y * 255 / h) as u8, a as u8]);
        }
    }
    let file = fs::File::create(path).unwrap();
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), w, h);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    enc.write_header().unwrap().write_image_data(&rgba).unwrap();
}

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("visual");
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn images_and_photos_are_embedded_or_listed() {
    let dir = tempfile::tempdir().unwrap();
    let png_path = dir.path().join("gradient.png");
    png_photo(&png_path);
    let garbage = dir.path().join("garbage.jpg");
    fs::write(&garbage, b"\xff\xd8\xff\xe0 definitely not a jpeg").unwrap();
    let truncated = dir.path().join("cut.jpg");
    let jpeg = fs::read(data("photo_upright.jpg")).unwrap();
    fs::write(&truncated, &jpeg[..jpeg.len() / 2]).unwrap();

    let mut report = report_fixtures::sample_report();
    let photo = |path: &str, caption: &str| Photo {
        path: path.to_owned(),
        caption: caption.to_owned(),
    };
    report.photos = vec![
        photo(
            &data("photo_upright.jpg"),
            "JPEG as stored: blue square top-left, green bar on top",
        ),
        photo(
            &data("photo_exif6.jpg"),
            "JPEG stored sideways with EXIF orientation 6: must look the same",
        ),
        photo(
            &png_path.to_string_lossy(),
            "PNG with a transparent left strip",
        ),
        photo("/nonexistent/IMG_0001.jpg", "Missing photo"),
        photo(&garbage.to_string_lossy(), ""),
        photo(&truncated.to_string_lossy(), "Truncated"),
    ];
    let images = [
        ct_slice(256, 256),
        ct_slice(384, 192),
        KeyImage {
            caption: "Broken".into(),
            width: 10,
            height: 10,
            rgb: vec![0; 7],
            labels: Vec::new(),
        },
    ];
    let pdf = render_pdf(&report, &images).unwrap();
    let pdf_path = out_dir().join("report_with_images.pdf");
    fs::write(&pdf_path, &pdf).unwrap();
    println!("PDF written to {}", pdf_path.display());

    let Some(text) = report_fixtures::pdftotext(&pdf) else {
        return;
    };
    assert!(text.contains("PAT-77341"));
    assert!(
        text.contains("Key images") && text.contains("Photos"),
        "{text}"
    );
    assert!(text.contains("Axial slice, 256 x 256"), "{text}");
    assert!(
        text.contains("Key image 3 (Broken) could not be drawn"),
        "{text}"
    );
    assert!(
        text.contains("IMG_0001.jpg (Missing photo): could not be read"),
        "{text}"
    );
    assert!(text.contains("garbage.jpg: could not be read"), "{text}");
    assert!(
        text.contains("cut.jpg (Truncated): could not be read (truncated JPEG"),
        "{text}"
    );
    assert!(!text.contains("photo_upright.jpg"), "{text}");

    if let Some(pdfimages) = report_fixtures::tools::tool("pdfimages") {
        let out = report_fixtures::tools::run(Command::new(pdfimages).arg("-list").arg(&pdf_path));
        let list = String::from_utf8_lossy(&out.stdout);
        println!("{list}");
        // 2 key images, 2 JPEGs, 1 PNG and its soft mask.
        let rows: Vec<&str> = list.lines().skip(2).collect();
        assert_eq!(rows.len(), 6, "{list}");
        assert_eq!(
            rows.iter().filter(|r| r.contains(" jpeg ")).count(),
            2,
            "{list}"
        );
        assert_eq!(
            rows.iter().filter(|r| r.contains(" smask ")).count(),
            1,
            "{list}"
        );
    }
    if let Some(pdftoppm) = report_fixtures::tools::tool("pdftoppm") {
        let prefix = out_dir().join("page");
        report_fixtures::tools::run(
            Command::new(pdftoppm)
                .args(["-png", "-r", "60"])
                .arg(&pdf_path)
                .arg(&prefix),
        );
        assert!(out_dir().join("page-1.png").exists() || out_dir().join("page-01.png").exists());
        println!("pages rendered to {}-N.png", prefix.display());
    }
}
