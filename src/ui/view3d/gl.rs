//! The 3-D view's OpenGL side (eframe's glow backend, inside an egui paint callback).
//!
//! Kept cheap for Mesa's software renderer: static vertex + index buffers per surface,
//! uploaded only when that surface's mesh generation changes; the lighting (a headlight,
//! two-sided diffuse + a little specular) per vertex, so the fragment shader only writes
//! a colour; uniform locations looked up once; the overlays (crosshair, cutting plane)
//! go through one small buffer made once and refilled in place. Nothing is allocated
//! per frame.
//!
//! Draw order: opaque surfaces (depth written), the crosshair (depth-tested; its hidden
//! parts faint), the translucent surfaces, then the cutting plane's translucent square
//! and its outline (depth-tested, blended, no depth writes): a surface in front of the
//! plane hides it.

use eframe::glow::{self, HasContext};
use std::collections::HashMap;
use std::sync::Arc;

use crate::mesh::Mesh;

/// A surface to draw this frame.
#[derive(Clone)]
pub struct DrawItem {
    pub key: u8,
    pub generation: u64,
    pub mesh: Arc<Mesh>,
    /// The lighter surface drawn while the camera moves, if the layer has one.
    pub moving: Option<Arc<Mesh>>,
    pub color: [f32; 4],
}

/// At most this many surfaces (`MeshLayer::ALL`).
pub const MAX_ITEMS: usize = 4;

/// Lines and the cutting plane drawn with the surfaces (patient mm).
#[derive(Clone, Copy, Default, PartialEq)]
pub struct Overlay {
    /// Three segments through the crosshair along the grid's axes.
    pub crosshair: Option<[[f32; 3]; 6]>,
    /// The cutting plane's square (corners in order) and whether it is a pending
    /// (not yet accepted) plane, drawn stronger.
    pub square: Option<([[f32; 3]; 4], bool)>,
}

struct Buffers {
    generation: u64,
    vao: glow::VertexArray,
    vbo: glow::Buffer,
    ebo: glow::Buffer,
    count: i32,
}

struct Surfaces {
    program: glow::Program,
    mvp: Option<glow::UniformLocation>,
    view: Option<glow::UniformLocation>,
    color: Option<glow::UniformLocation>,
}

struct Flat {
    program: glow::Program,
    mvp: Option<glow::UniformLocation>,
    color: Option<glow::UniformLocation>,
    vao: glow::VertexArray,
    vbo: glow::Buffer,
}

/// How this frame looks at the scene.
#[derive(Clone, Copy)]
pub struct FrameView {
    /// Model-view-projection matrix (column-major).
    pub mvp: [f32; 16],
    /// Target-to-eye direction, for the headlight.
    pub view_dir: [f32; 3],
    /// The view's clip rectangle in framebuffer pixels (left, bottom, width, height).
    pub clip: [i32; 4],
    /// The camera is moving: draw the lighter surfaces where there are any.
    pub moving: bool,
}

/// Vertices of the overlay buffer: 6 crosshair + 4 square.
const OVERLAY_VERTS: usize = 10;

#[derive(Default)]
pub struct GlScene {
    surfaces: Option<Surfaces>,
    flat: Option<Flat>,
    /// Per (surface key, lighter surface for a moving camera).
    buffers: HashMap<(u8, bool), Buffers>,
    /// Mesh uploads so far (tests/diagnostics: one per mesh change, not per frame).
    pub uploads: u64,
    pub error: Option<String>,
    /// Measure the 3-D view's own drawing (REMNANT_FPS_LOG): `glFinish` before and after
    /// it, so the time is the renderer's work for this view alone (it stalls the
    /// pipeline, so only when measuring).
    pub timing: bool,
    /// Milliseconds the last timed frame's 3-D drawing took.
    pub draw_ms: f32,
    /// Triangles of the surfaces drawn in the last frame.
    pub drawn_triangles: usize,
    /// Frames painted; one in `TIMED_EVERY` is timed, so the stalls do not lower the
    /// frame rate being measured.
    painted: u64,
}

/// With `timing`, one frame in this many is timed (two `glFinish` stall the pipeline).
const TIMED_EVERY: u64 = 30;

const VS: &str = r#"
uniform mat4 u_mvp;
uniform vec3 u_view;
uniform vec4 u_color;
in vec3 a_pos;
in vec3 a_nrm;
out vec4 v_color;
void main() {
    float d = abs(dot(a_nrm, u_view));
    float s = d * d;
    s = s * s;
    s = s * s;
    s = s * s;
    v_color = vec4(u_color.rgb * (0.28 + 0.72 * d) + vec3(0.25 * s), u_color.a);
    gl_Position = u_mvp * vec4(a_pos, 1.0);
}
"#;

const FS: &str = r#"
precision mediump float;
in vec4 v_color;
out vec4 out_color;
void main() {
    out_color = v_color;
}
"#;

const FLAT_VS: &str = r#"
uniform mat4 u_mvp;
in vec3 a_pos;
void main() {
    gl_Position = u_mvp * vec4(a_pos, 1.0);
}
"#;

const FLAT_FS: &str = r#"
precision mediump float;
uniform vec4 u_color;
out vec4 out_color;
void main() {
    out_color = u_color;
}
"#;

unsafe fn link(
    gl: &glow::Context,
    vs: &str,
    fs: &str,
    attributes: &[&str],
) -> Result<glow::Program, String> {
    unsafe {
        let version = if gl.version().is_embedded {
            "#version 300 es\n"
        } else {
            "#version 330\n"
        };
        let program = gl.create_program()?;
        let mut shaders = Vec::new();
        for (kind, src) in [(glow::VERTEX_SHADER, vs), (glow::FRAGMENT_SHADER, fs)] {
            let s = gl.create_shader(kind)?;
            gl.shader_source(s, &format!("{version}{src}"));
            gl.compile_shader(s);
            if !gl.get_shader_compile_status(s) {
                return Err(format!("3-D shader: {}", gl.get_shader_info_log(s)));
            }
            gl.attach_shader(program, s);
            shaders.push(s);
        }
        for (i, a) in attributes.iter().enumerate() {
            gl.bind_attrib_location(program, i as u32, a);
        }
        gl.link_program(program);
        if !gl.get_program_link_status(program) {
            return Err(format!(
                "3-D shader link: {}",
                gl.get_program_info_log(program)
            ));
        }
        for s in shaders {
            gl.detach_shader(program, s);
            gl.delete_shader(s);
        }
        Ok(program)
    }
}

unsafe fn delete(gl: &glow::Context, b: Buffers) {
    unsafe {
        gl.delete_vertex_array(b.vao);
        gl.delete_buffer(b.vbo);
        gl.delete_buffer(b.ebo);
    }
}

impl GlScene {
    /// `timing`: measure the view's own drawing (see `draw_ms`).
    pub fn new(timing: bool) -> GlScene {
        GlScene {
            timing,
            ..Default::default()
        }
    }

    /// Shaders and the overlay buffer, made on the first frame.
    unsafe fn init(&mut self, gl: &glow::Context) -> Result<(), String> {
        unsafe {
            if self.surfaces.is_none() {
                let program = link(gl, VS, FS, &["a_pos", "a_nrm"])?;
                self.surfaces = Some(Surfaces {
                    program,
                    mvp: gl.get_uniform_location(program, "u_mvp"),
                    view: gl.get_uniform_location(program, "u_view"),
                    color: gl.get_uniform_location(program, "u_color"),
                });
            }
            if self.flat.is_none() {
                let program = link(gl, FLAT_VS, FLAT_FS, &["a_pos"])?;
                let vao = gl.create_vertex_array()?;
                gl.bind_vertex_array(Some(vao));
                let vbo = gl.create_buffer()?;
                gl.bind_buffer(glow::ARRAY_BUFFER, Some(vbo));
                gl.buffer_data_size(
                    glow::ARRAY_BUFFER,
                    (OVERLAY_VERTS * 12) as i32,
                    glow::DYNAMIC_DRAW,
                );
                gl.enable_vertex_attrib_array(0);
                gl.vertex_attrib_pointer_f32(0, 3, glow::FLOAT, false, 12, 0);
                gl.bind_vertex_array(None);
                self.flat = Some(Flat {
                    program,
                    mvp: gl.get_uniform_location(program, "u_mvp"),
                    color: gl.get_uniform_location(program, "u_color"),
                    vao,
                    vbo,
                });
            }
        }
        Ok(())
    }

    unsafe fn upload(
        &mut self,
        gl: &glow::Context,
        key: (u8, bool),
        generation: u64,
        mesh: &Mesh,
    ) -> Result<(), String> {
        if self
            .buffers
            .get(&key)
            .is_some_and(|b| b.generation == generation)
        {
            return Ok(());
        }
        unsafe {
            if let Some(old) = self.buffers.remove(&key) {
                delete(gl, old);
            }
            let normals = mesh.vertex_normals();
            let mut data: Vec<f32> = Vec::with_capacity(mesh.positions.len() * 6);
            for (p, n) in mesh.positions.iter().zip(&normals) {
                data.extend_from_slice(p);
                data.extend_from_slice(n);
            }
            let vao = gl.create_vertex_array()?;
            gl.bind_vertex_array(Some(vao));
            let vbo = gl.create_buffer()?;
            gl.bind_buffer(glow::ARRAY_BUFFER, Some(vbo));
            gl.buffer_data_u8_slice(
                glow::ARRAY_BUFFER,
                bytemuck::cast_slice(&data),
                glow::STATIC_DRAW,
            );
            let ebo = gl.create_buffer()?;
            gl.bind_buffer(glow::ELEMENT_ARRAY_BUFFER, Some(ebo));
            gl.buffer_data_u8_slice(
                glow::ELEMENT_ARRAY_BUFFER,
                bytemuck::cast_slice(&mesh.triangles),
                glow::STATIC_DRAW,
            );
            gl.enable_vertex_attrib_array(0);
            gl.vertex_attrib_pointer_f32(0, 3, glow::FLOAT, false, 24, 0);
            gl.enable_vertex_attrib_array(1);
            gl.vertex_attrib_pointer_f32(1, 3, glow::FLOAT, false, 24, 12);
            gl.bind_vertex_array(None);
            self.buffers.insert(
                key,
                Buffers {
                    generation,
                    vao,
                    vbo,
                    ebo,
                    count: (mesh.triangles.len() * 3) as i32,
                },
            );
            self.uploads += 1;
        }
        Ok(())
    }

    /// Draw the items and the overlay (see the module comment for the order).
    pub fn paint(
        &mut self,
        gl: &glow::Context,
        items: &[Option<DrawItem>; MAX_ITEMS],
        overlay: &Overlay,
        view: &FrameView,
    ) {
        self.painted += 1;
        let t0 = (self.timing && self.painted % TIMED_EVERY == 1).then(|| {
            unsafe { gl.finish() };
            std::time::Instant::now()
        });
        if let Err(e) = unsafe { self.paint_inner(gl, items, overlay, view) } {
            self.error = Some(e);
        }
        if let Some(t0) = t0 {
            unsafe { gl.finish() };
            self.draw_ms = t0.elapsed().as_secs_f32() * 1000.0;
        }
    }

    /// Upload what changed and draw (the body of `paint`).
    unsafe fn paint_inner(
        &mut self,
        gl: &glow::Context,
        items: &[Option<DrawItem>; MAX_ITEMS],
        overlay: &Overlay,
        view: &FrameView,
    ) -> Result<(), String> {
        let mvp = &view.mvp;
        unsafe {
            self.init(gl)?;
            self.sync_buffers(gl, items)?;
            depth_and_culling(gl, view.clip);
            let Some(s) = &self.surfaces else {
                return Ok(());
            };
            let opaque = |i: &&DrawItem| i.color[3] >= 1.0;
            let translucent = |i: &&DrawItem| i.color[3] < 1.0;
            let mut drawn = self.draw_surfaces(gl, s, items, &opaque, view);
            // the crosshair: visible parts bright, parts behind a surface faint
            if let (Some(c), Some(f)) = (&overlay.crosshair, &self.flat) {
                draw_crosshair(gl, f, c, mvp);
            }
            // translucent surfaces: front faces, no depth writes, pushed back a little so
            // the face they share with the remnant (the cut) shows the remnant, not stripes
            gl.depth_mask(false);
            gl.enable(glow::BLEND);
            gl.blend_func(glow::SRC_ALPHA, glow::ONE_MINUS_SRC_ALPHA);
            gl.enable(glow::POLYGON_OFFSET_FILL);
            gl.polygon_offset(1.0, 4.0);
            drawn += self.draw_surfaces(gl, s, items, &translucent, view);
            self.drawn_triangles = drawn;
            gl.disable(glow::POLYGON_OFFSET_FILL);
            gl.disable(glow::CULL_FACE);
            // the cutting plane: translucent square and outline, hidden by nearer surfaces
            if let (Some((corners, pending)), Some(f)) = (&overlay.square, &self.flat) {
                draw_cut_square(gl, f, (corners, *pending), mvp);
            }
            gl.bind_vertex_array(None);
            gl.use_program(None);
            gl.depth_mask(true);
            gl.disable(glow::DEPTH_TEST);
            gl.enable(glow::BLEND);
        }
        Ok(())
    }

    /// Drop the buffers of surfaces no longer shown and upload the items' meshes
    /// (and their moving parts) that changed.
    unsafe fn sync_buffers(
        &mut self,
        gl: &glow::Context,
        items: &[Option<DrawItem>; MAX_ITEMS],
    ) -> Result<(), String> {
        unsafe {
            self.buffers.retain(|k, b| {
                let keep = items
                    .iter()
                    .flatten()
                    .any(|i| i.key == k.0 && (!k.1 || i.moving.is_some()));
                if !keep {
                    gl.delete_vertex_array(b.vao);
                    gl.delete_buffer(b.vbo);
                    gl.delete_buffer(b.ebo);
                }
                keep
            });
            for item in items.iter().flatten() {
                self.upload(gl, (item.key, false), item.generation, &item.mesh)?;
                if let Some(m) = &item.moving {
                    self.upload(gl, (item.key, true), item.generation, m)?;
                }
            }
        }
        Ok(())
    }

    /// Draw the items `pick` selects; returns the triangles drawn.
    unsafe fn draw_surfaces(
        &self,
        gl: &glow::Context,
        s: &Surfaces,
        items: &[Option<DrawItem>; MAX_ITEMS],
        pick: &dyn Fn(&&DrawItem) -> bool,
        view: &FrameView,
    ) -> usize {
        let (mvp, view_dir, moving) = (&view.mvp, view.view_dir, view.moving);
        let mut drawn = 0;
        unsafe {
            gl.use_program(Some(s.program));
            gl.uniform_matrix_4_f32_slice(s.mvp.as_ref(), false, mvp);
            gl.uniform_3_f32(s.view.as_ref(), view_dir[0], view_dir[1], view_dir[2]);
            for item in items.iter().flatten().filter(pick) {
                let light = moving && item.moving.is_some();
                let Some(b) = self.buffers.get(&(item.key, light)) else {
                    continue;
                };
                drawn += b.count as usize / 3;
                let c = item.color;
                gl.uniform_4_f32(s.color.as_ref(), c[0], c[1], c[2], c[3]);
                gl.bind_vertex_array(Some(b.vao));
                gl.draw_elements(glow::TRIANGLES, b.count, glow::UNSIGNED_INT, 0);
            }
        }
        drawn
    }
}

/// Clear the depth buffer and set depth testing and back-face culling for the
/// opaque surfaces, drawing only inside `clip`.
unsafe fn depth_and_culling(gl: &glow::Context, clip: [i32; 4]) {
    unsafe {
        // No colour clear: the view shows the window's clear colour (the panels draw
        // no fill). The depth buffer is cleared whole, not scissored: a scissored
        // clear is a full-screen-quad draw in Mesa's software renderer (2.5 ms for a
        // big view), a whole-buffer clear a flag per tile. Nothing else uses depth.
        gl.disable(glow::SCISSOR_TEST);
        gl.clear_depth_f32(1.0);
        gl.depth_mask(true);
        gl.clear(glow::DEPTH_BUFFER_BIT);
        gl.enable(glow::SCISSOR_TEST);
        gl.scissor(clip[0], clip[1], clip[2], clip[3]);
        gl.enable(glow::DEPTH_TEST);
        gl.depth_func(glow::LESS);
        gl.disable(glow::BLEND);
        // closed surfaces with outward counter-clockwise faces: their back faces are
        // never seen, so they are not drawn (half the triangles and fragments)
        gl.enable(glow::CULL_FACE);
        gl.cull_face(glow::BACK);
        gl.front_face(glow::CCW);
    }
}

/// The crosshair's three segments `c`: faint where a surface hides them, bright elsewhere.
unsafe fn draw_crosshair(gl: &glow::Context, f: &Flat, c: &[[f32; 3]; 6], mvp: &[f32; 16]) {
    unsafe {
        gl.depth_mask(false);
        gl.use_program(Some(f.program));
        gl.uniform_matrix_4_f32_slice(f.mvp.as_ref(), false, mvp);
        gl.bind_vertex_array(Some(f.vao));
        gl.bind_buffer(glow::ARRAY_BUFFER, Some(f.vbo));
        gl.buffer_sub_data_u8_slice(glow::ARRAY_BUFFER, 0, bytemuck::cast_slice(c));
        gl.enable(glow::BLEND);
        gl.blend_func(glow::SRC_ALPHA, glow::ONE_MINUS_SRC_ALPHA);
        gl.depth_func(glow::GREATER);
        gl.uniform_4_f32(f.color.as_ref(), 1.0, 0.9, 0.24, 0.3);
        gl.draw_arrays(glow::LINES, 0, 6);
        gl.depth_func(glow::LEQUAL);
        gl.uniform_4_f32(f.color.as_ref(), 1.0, 0.9, 0.24, 1.0);
        gl.draw_arrays(glow::LINES, 0, 6);
        gl.depth_func(glow::LESS);
        gl.disable(glow::BLEND);
    }
}

/// The cutting plane's square (`corners`, stronger when `pending`): a translucent
/// fill behind a surface lying on it, and its outline.
unsafe fn draw_cut_square(
    gl: &glow::Context,
    f: &Flat,
    (corners, pending): (&[[f32; 3]; 4], bool),
    mvp: &[f32; 16],
) {
    unsafe {
        gl.use_program(Some(f.program));
        gl.uniform_matrix_4_f32_slice(f.mvp.as_ref(), false, mvp);
        gl.bind_vertex_array(Some(f.vao));
        gl.bind_buffer(glow::ARRAY_BUFFER, Some(f.vbo));
        gl.buffer_sub_data_u8_slice(glow::ARRAY_BUFFER, 6 * 12, bytemuck::cast_slice(corners));
        let fill = if pending { 0.32 } else { 0.2 };
        gl.uniform_4_f32(f.color.as_ref(), 0.35, 0.67, 1.0, fill);
        // behind a surface lying on the plane (the cut face), not striped with it
        gl.enable(glow::POLYGON_OFFSET_FILL);
        gl.polygon_offset(2.0, 8.0);
        gl.draw_arrays(glow::TRIANGLE_FAN, 6, 4);
        gl.disable(glow::POLYGON_OFFSET_FILL);
        gl.depth_func(glow::LEQUAL);
        gl.uniform_4_f32(f.color.as_ref(), 0.35, 0.67, 1.0, 1.0);
        gl.draw_arrays(glow::LINE_LOOP, 6, 4);
        gl.depth_func(glow::LESS);
    }
}
