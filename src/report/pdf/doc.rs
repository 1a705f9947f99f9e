//! A flowing A4 document on top of pdf-writer: pages with a vertical cursor,
//! page breaks, text, rectangles and images, assembled into a PDF at the end.

use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::image::{PdfImage, deflate, write_image};
use super::text::{self, Font};

pub(super) const PAGE_W: f32 = 595.28;
pub(super) const PAGE_H: f32 = 841.89;
pub(super) const LEFT: f32 = 48.0;
pub(super) const RIGHT: f32 = PAGE_W - 48.0;
pub(super) const CONTENT_W: f32 = RIGHT - LEFT;
pub(super) const TOP: f32 = PAGE_H - 44.0;
/// Lowest point content may reach; the footer lives below.
pub(super) const BOTTOM: f32 = 56.0;
const FOOTER_Y: f32 = 30.0;

pub(super) type Rgb = [f32; 3];
pub(super) const BLACK: Rgb = [0.0, 0.0, 0.0];
pub(super) const GREY: Rgb = [0.4, 0.4, 0.4];
pub(super) const RULE: Rgb = [0.7, 0.7, 0.7];
pub(super) const ALERT: Rgb = [0.7, 0.05, 0.05];

struct Page {
    content: Content,
    images: Vec<usize>,
    /// Whether anything was drawn.
    used: bool,
}

impl Default for Page {
    fn default() -> Self {
        Self {
            content: Content::new(),
            images: Vec::new(),
            used: false,
        }
    }
}

impl Default for Doc {
    fn default() -> Self {
        Self {
            done: Vec::new(),
            page: Page::default(),
            images: Vec::new(),
            y: TOP,
        }
    }
}

/// The document being built. `y` is the cursor: the top of the next block.
pub(super) struct Doc {
    done: Vec<Page>,
    page: Page,
    images: Vec<PdfImage>,
    pub y: f32,
}

impl Doc {
    pub fn new_page(&mut self) {
        let page = std::mem::take(&mut self.page);
        self.done.push(page);
        self.y = TOP;
    }

    /// Starts a new page unless `height` points still fit below the cursor.
    pub fn ensure(&mut self, height: f32) {
        if self.y - height < BOTTOM && self.y < TOP {
            self.new_page();
        }
    }

    /// Whether `height` points fit below the cursor on this page.
    pub fn fits(&self, height: f32) -> bool {
        self.y - height >= BOTTOM
    }

    /// The current page's content stream, for drawing not covered here.
    pub fn content(&mut self) -> &mut Content {
        self.page.used = true;
        &mut self.page.content
    }

    /// Draws encoded text with its baseline at `y`.
    pub fn bytes_at(&mut self, x: f32, y: f32, font: Font, size: f32, color: Rgb, bytes: &[u8]) {
        let c = self.content();
        c.begin_text();
        c.set_font(font.resource(), size);
        c.set_fill_rgb(color[0], color[1], color[2]);
        c.next_line(x, y);
        c.show(Str(bytes));
        c.end_text();
    }

    pub fn text_at(&mut self, x: f32, y: f32, font: Font, size: f32, color: Rgb, s: &str) {
        self.bytes_at(x, y, font, size, color, &text::encode(s));
    }

    /// Text centred on `cx`.
    pub fn text_centered(&mut self, cx: f32, y: f32, font: Font, size: f32, color: Rgb, s: &str) {
        let bytes = text::encode(s);
        let x = cx - text::width(font, size, &bytes) / 2.0;
        self.bytes_at(x, y, font, size, color, &bytes);
    }

    /// Text ending at `right`.
    pub fn text_right(&mut self, right: f32, y: f32, font: Font, size: f32, color: Rgb, s: &str) {
        let bytes = text::encode(s);
        let x = right - text::width(font, size, &bytes);
        self.bytes_at(x, y, font, size, color, &bytes);
    }

    /// A rectangle with lower-left corner (x, y), filled and/or outlined.
    pub fn rect(
        &mut self,
        (x, y, w, h): (f32, f32, f32, f32),
        fill: Option<Rgb>,
        stroke: Option<Rgb>,
    ) {
        let c = self.content();
        c.rect(x, y, w, h);
        match (fill, stroke) {
            (Some(f), Some(s)) => {
                c.set_fill_rgb(f[0], f[1], f[2]);
                c.set_stroke_rgb(s[0], s[1], s[2]);
                c.set_line_width(0.8);
                c.fill_nonzero_and_stroke();
            }
            (Some(f), None) => {
                c.set_fill_rgb(f[0], f[1], f[2]);
                c.fill_nonzero();
            }
            (None, Some(s)) => {
                c.set_stroke_rgb(s[0], s[1], s[2]);
                c.set_line_width(0.8);
                c.stroke();
            }
            (None, None) => {
                c.end_path();
            }
        }
    }

    /// A horizontal rule at `y`.
    pub fn hline(&mut self, x1: f32, x2: f32, y: f32, color: Rgb, width: f32) {
        let c = self.content();
        c.set_stroke_rgb(color[0], color[1], color[2]);
        c.set_line_width(width);
        c.move_to(x1, y);
        c.line_to(x2, y);
        c.stroke();
    }

    pub fn add_image(&mut self, image: PdfImage) -> usize {
        self.images.push(image);
        self.images.len() - 1
    }

    /// Draws image `index` through `matrix`, which maps the unit square.
    pub fn place_image(&mut self, index: usize, matrix: [f32; 6]) {
        if index >= self.images.len() {
            return;
        }
        let name = image_name(index);
        let c = self.content();
        c.save_state();
        c.transform(matrix);
        c.x_object(Name(name.as_bytes()));
        c.restore_state();
        if !self.page.images.contains(&index) {
            self.page.images.push(index);
        }
    }

    /// Writes the PDF: pages with `footer` and "Page i of n", fonts, images.
    pub fn finish(mut self, title: &str, footer: &str) -> Vec<u8> {
        if self.page.used || self.done.is_empty() {
            self.new_page();
        }
        let pages = std::mem::take(&mut self.done);
        let mut next = 0;
        let mut alloc = || {
            next += 1;
            Ref::new(next)
        };
        let catalog = alloc();
        let tree = alloc();
        let fonts = [(Font::Regular, alloc()), (Font::Bold, alloc())];
        let info = alloc();
        let page_refs: Vec<(Ref, Ref)> = pages.iter().map(|_| (alloc(), alloc())).collect();
        let image_refs: Vec<(Ref, Option<Ref>)> = self
            .images
            .iter()
            .map(|image| (alloc(), image.alpha.as_ref().map(|_| alloc())))
            .collect();

        let mut pdf = Pdf::new();
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree)
            .kids(page_refs.iter().map(|&(page, _)| page))
            .count(i32::try_from(pages.len()).unwrap_or(i32::MAX));
        let count = pages.len();
        for (i, (mut page, &(page_ref, content_ref))) in
            pages.into_iter().zip(&page_refs).enumerate()
        {
            write_footer(&mut page.content, footer, i + 1, count);
            let mut writer = pdf.page(page_ref);
            writer.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
            writer.parent(tree);
            writer.contents(content_ref);
            let mut resources = writer.resources();
            let mut font_dict = resources.fonts();
            for (font, id) in fonts {
                font_dict.pair(font.resource(), id);
            }
            font_dict.finish();
            let mut xobjects = resources.x_objects();
            for &index in &page.images {
                if let Some(&(id, _)) = image_refs.get(index) {
                    xobjects.pair(Name(image_name(index).as_bytes()), id);
                }
            }
            xobjects.finish();
            resources.finish();
            writer.finish();
            let stream = deflate(&page.content.finish());
            pdf.stream(content_ref, &stream).filter(Filter::FlateDecode);
        }
        for (font, id) in fonts {
            pdf.type1_font(id)
                .base_font(font.base_font())
                .encoding_predefined(Name(b"WinAnsiEncoding"));
        }
        for (image, &(id, mask_id)) in self.images.iter().zip(&image_refs) {
            write_image(&mut pdf, image, id, mask_id);
        }
        pdf.document_info(info)
            .title(TextStr(title))
            .creator(TextStr("Remnant"))
            .producer(TextStr("Remnant (pdf-writer)"));
        pdf.finish()
    }
}

fn image_name(index: usize) -> String {
    format!("Im{index}")
}

fn write_footer(content: &mut Content, footer: &str, page: usize, count: usize) {
    let size = 7.5;
    let page_text = format!("Page {page} of {count}");
    let right = text::encode(&page_text);
    let room = CONTENT_W - text::width(Font::Regular, size, &right) - 12.0;
    let left = text::wrap(Font::Regular, size, footer, room)
        .into_iter()
        .next()
        .unwrap_or_default();
    for (x, bytes) in [
        (LEFT, left),
        (RIGHT - text::width(Font::Regular, size, &right), right),
    ] {
        content.begin_text();
        content.set_font(Font::Regular.resource(), size);
        content.set_fill_rgb(GREY[0], GREY[1], GREY[2]);
        content.next_line(x, FOOTER_Y);
        content.show(Str(&bytes));
        content.end_text();
    }
}
